public import CairnCore
import Foundation
import GRDB
import GRDBSQLite

/// A metadata store in one SQLite file: Cairn's local default.
///
/// The file is opened in WAL mode, so that readers never wait for writers. Every write is an
/// immediate transaction with a 30-second busy timeout: several processes (a run's parent and the
/// step processes it launches, or two runs started side by side) can record into the same file
/// without ever failing with "database is locked".
///
/// ```swift
/// let store = try SQLiteMetadataStore(path: ".cairn/metadata.sqlite")
/// let run = try await store.createRun(newRun)
/// ```
///
/// The schema is versioned by migrations. A file written by a newer Cairn, whose schema this
/// build does not know, is refused rather than misread.
///
/// ## Topics
///
/// ### Opening a store
/// - ``init(path:)``
/// - ``init(existingAt:)``
/// - ``path``
///
/// ### Checking the file
/// - ``schemaVersion()``
/// - ``integrityCheck()``
public final class SQLiteMetadataStore: MetadataStore {
    /// The path of the database file.
    public let path: String

    /// The connections: one writer, several readers.
    let dbPool: DatabasePool

    /// Opens the database file at `path`, creating it (and its folder) if needed, and brings its
    /// schema up to date.
    ///
    /// - Parameter path: The path of the SQLite file.
    /// - Throws: `CairnError.store(_:)` when the file cannot be opened, or when it was written by
    ///   a newer version of Cairn.
    public convenience init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CairnError.store("cannot create the folder of the metadata store at \(path): \(error.localizedDescription)")
        }
        try self.init(opening: path)
        try Self.migrate(dbPool, path: path)
        SpaceReserve.hold(at: reservePath)
    }

    /// Opens the existing database file at `path`, whose schema must be this build's: it never
    /// creates the file, and never writes a schema into it or migrates it. Commands that only read,
    /// or that carry on a recorded run, open stores this way.
    ///
    /// - Parameter path: The path of the SQLite file.
    /// - Throws: `CairnError.store(_:)` when there is no file, when it is empty or holds no Cairn
    ///   schema, or when its schema is older or newer than this build's.
    public convenience init(existingAt path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        guard let size else { throw CairnError.store("there is no metadata store at \(path)") }
        // Opening an empty file would write into it: SQLite makes it a database as WAL mode is set.
        guard size.intValue > 0 else { throw CairnError.store("the metadata store at \(path) is an empty file") }
        try self.init(opening: path)
        try Self.requireCurrentSchema(dbPool, path: path)
    }

    /// Opens the file at `path` as it is.
    private init(opening path: String) throws {
        self.path = path

        var configuration = Configuration()
        configuration.label = "Cairn metadata"
        // Wait for other processes' write transactions instead of failing with SQLITE_BUSY.
        // GRDB opens every write transaction as IMMEDIATE, so the wait happens when the
        // transaction begins, where it is safe, and never in the middle of one.
        configuration.busyMode = .timeout(Self.busyTimeout)
        // Keep the -wal and -shm files when the last connection closes. Without this, SQLite
        // deletes the WAL file on close, and the next process to open the pool has to write a
        // transaction to recreate it (GRDB does so for its read-only connections): every
        // short-lived command would write and sync the file just to read it.
        configuration.prepareDatabase { db in
            guard !db.configuration.readonly else { return }
            var flag: CInt = 1
            let code = withUnsafeMutablePointer(to: &flag) { sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, $0) }
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
        // DatabasePool turns WAL on, with `synchronous = NORMAL`, when it opens the file.
        do {
            dbPool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw CairnError.store("cannot open the metadata store at \(path): \(error)")
        }
    }

    /// Runs `body` in a read transaction, on the calling thread.
    ///
    /// Cairn's reads are short indexed queries, and in WAL mode readers never wait for writers, so
    /// they run where they are called: GRDB's async API would hop to a reader queue and back, and
    /// those two thread wake-ups cost more than the query.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try dbPool.read(body)
    }

    /// Runs `body` in an immediate write transaction, on the calling thread.
    ///
    /// Writes are short too. The calling thread waits while another connection writes (up to
    /// ``busyTimeout`` for another process), as a hop to GRDB's writer queue would. That hop, tried,
    /// cost a 1,000-step chain 0.15 ms a step (0.47 → 0.62 ms on a memory file system), so writes stay
    /// here: step code runs on threads of its own, and a run's heartbeat on a thread of its own, so
    /// that a wait here never holds them up.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try dbPool.write(body)
    }

    /// Runs `body` as ``write(_:)`` does; when the disk is full, frees the space the store holds
    /// back (``SpaceReserve``), checkpoints the WAL, and tries once more.
    ///
    /// The end of a run is the record most worth keeping: without it, the run would stay running
    /// until the watchdog finds its process gone and can only guess why.
    func writeMakingRoom<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try write(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            SpaceReserve.free(at: reservePath)
            _ = try? dbPool.writeWithoutTransaction { db in try db.checkpoint(.restart) }
            return try write(body)
        }
    }

    /// The file beside the database that holds space back for ``writeMakingRoom(_:)``:
    /// `metadata.sqlite-reserve`.
    var reservePath: String { path + "-reserve" }

    /// How long, in seconds, a write waits for another connection's write transaction to end.
    static let busyTimeout: TimeInterval = 30

    /// The schema version of the file: the identifier of the last applied migration (`v1`).
    public func schemaVersion() async throws -> String {
        let applied = try read { db in try Self.migrator.appliedMigrations(db) }
        guard let last = applied.last else {
            throw CairnError.store("the metadata store at \(path) has no schema")
        }
        return last
    }

    /// The size of the database file with its `-wal` and `-shm` files.
    public func storedBytes() async throws -> Int64 {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// Checks the file with SQLite's `PRAGMA integrity_check`.
    ///
    /// - Returns: The problems found; empty when the file is healthy.
    public func integrityCheck() async throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
    }
}
