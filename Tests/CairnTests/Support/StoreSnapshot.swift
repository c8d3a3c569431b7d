import Foundation
import GRDB

/// Everything a local store holds: every row of every table of its database, and every file of its
/// artifact folder with its size. Two snapshots are equal when a refused operation changed nothing.
struct StoreSnapshot: Equatable, CustomStringConvertible {
    /// Each table's rows, as text, in storage order.
    var tables: [String: [String]] = [:]
    /// The size of each file under `artifacts`, by path relative to it.
    var files: [String: Int] = [:]

    /// Reads the store in `home` (a missing database or artifact folder counts as empty).
    init(of home: URL) throws {
        let database = home.appending(path: "metadata.sqlite").path
        if FileManager.default.fileExists(atPath: database) {
            var configuration = Configuration()
            configuration.readonly = true
            tables = try DatabaseQueue(path: database, configuration: configuration).read { db in
                var tables: [String: [String]] = [:]
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                    tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description)
                }
                return tables
            }
        }
        let artifacts = home.appending(path: "artifacts")
        for case let file as URL in FileManager.default.enumerator(at: artifacts, includingPropertiesForKeys: [.fileSizeKey]) ?? .init()
        where !file.hasDirectoryPath {
            files[String(file.path.dropFirst(artifacts.path.count))] = try file.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        }
    }

    var description: String {
        "\(tables.mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value) rows" }.joined(separator: ", ")); \(files.count) artifact files"
    }
}
