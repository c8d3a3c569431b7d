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
/// No call blocks a thread of Swift's cooperative pool: writes, which may wait for another process or
/// flush the WAL to disk, run on a thread of the store's own; reads never wait for a lock where
/// they are called, and wait off the pool when they must.
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

    /// The thread on which the store writes: one, started when a write comes and ending when none
    /// has come for a while, never one of Swift's cooperative pool.
    ///
    /// A write can block its thread for long: it waits up to ``busyTimeout`` for another
    /// process's write transaction, and its commit may checkpoint the WAL, flushing it to disk. On
    /// the cooperative pool, two such writes on a 2-core machine would stop every task of the
    /// process meanwhile: the run's scheduler, its steps, the recording of other steps, reads.
    /// Here a blocked write holds up only the writes after it, which would wait for SQLite's write
    /// lock anyway: they wait in line, and not each on a thread of its own contending for the lock.
    /// Each store has its own, so that another store's writes go on.
    let writer = ThreadPoolExecutor(name: "cairn.sqlite.writer", maximumThreads: 1)

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
            // A read connection never waits for a lock: reads run where they are called, which is
            // often Swift's cooperative pool, and one that finds the file locked is made again off
            // it (see `read(_:)`).
            guard !db.configuration.readonly else {
                sqlite3_busy_timeout(db.sqliteConnection, 0)
                return
            }
            var flag: CInt = 1
            let code = withUnsafeMutablePointer(to: &flag) { sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, $0) }
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
        // One read connection for each thread of the cooperative pool, and a few more for other
        // threads, so that reads made there at once do not wait for a connection either.
        configuration.maximumReaderCount = max(5, ProcessInfo.processInfo.activeProcessorCount + 2)
        // DatabasePool turns WAL on, with `synchronous = NORMAL`, when it opens the file.
        do {
            dbPool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw CairnError.store("cannot open the metadata store at \(path): \(error)")
        }
    }

    /// Runs `body` in a read transaction, on the calling thread; if another process holds the file
    /// for a moment, again on one of the store's threads (``threads``), until it lets go.
    ///
    /// In WAL mode a read never waits for the writer: it reads the last commit before it began.
    /// A read connection cannot be locked out but for moments when another process holds the
    /// whole file: while it recovers the WAL after a crash, or checkpoints it as the file's last
    /// connection closes. Read connections do not wait then (see ``init(opening:)``): the read
    /// fails at once, and is made again off the cooperative pool, where waiting holds up nothing.
    /// A read is otherwise a short indexed query, which can still wait for the disk as any file read
    /// does, when its pages are not in memory.
    ///
    /// So reads run where they are called. Taking every one off the pool costs two thread wake-ups a
    /// call, and a cached rerun makes two reads for each step: with every read off the pool, the
    /// best of about twenty 1,000-step cached reruns on a 2-core machine took 163 ms, against 98 ms
    /// with reads where they are called.
    func read<T>(_ body: (Database) throws -> T) async throws -> T {
        do {
            return try dbPool.read(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return try await offPool { try Self.readWaiting(dbPool, body) }
        }
    }

    /// Runs `body` in a read transaction on `dbPool`, made again while another connection holds the
    /// file, for up to ``busyTimeout``: the wait that SQLite's busy timeout makes for writes, and
    /// that read connections do not make. It blocks its thread: call it off the cooperative pool,
    /// or while opening the store, which blocks anyway.
    static func readWaiting<T>(_ dbPool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
        let deadline = Date(timeIntervalSinceNow: busyTimeout)
        var pause: TimeInterval = 0.001
        while true {
            do {
                return try dbPool.read(body)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// Runs `body` in an immediate write transaction, on the store's writer thread (``writer``).
    ///
    /// The thread waits while another connection writes: up to ``busyTimeout`` for another
    /// process, which a step process or a second run on the same file can be. A commit may also
    /// checkpoint the WAL into the database file, which flushes it to disk.
    func write<T>(_ body: (Database) throws -> T) async throws -> T {
        try await withTaskExecutorPreference(writer, isolation: nil) { try dbPool.write(body) }
    }

    /// Runs `body` as ``write(_:)`` does; when the disk is full, frees the space the store holds
    /// back (``SpaceReserve``), checkpoints the WAL, and tries once more.
    ///
    /// The end of a run is the record most worth keeping: without it, the run would stay running
    /// until the watchdog finds its process gone and can only guess why.
    func writeMakingRoom<T>(_ body: (Database) throws -> T) async throws -> T {
        try await withTaskExecutorPreference(writer, isolation: nil) {
            do {
                return try dbPool.write(body)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                SpaceReserve.free(at: reservePath)
                _ = try? dbPool.writeWithoutTransaction { db in try db.checkpoint(.restart) }
                return try dbPool.write(body)
            }
        }
    }

    /// Runs `work`, which may block its thread, on one of the store's threads (``threads``), and
    /// returns when it is done.
    ///
    /// A call made from Swift's cooperative pool, which has one thread per core, hops to a thread of
    /// ``threads`` and back: two thread wake-ups. A call made from a task that already prefers
    /// ``threads`` runs where it is.
    private func offPool<T>(_ work: () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(Self.threads, isolation: nil) { try work() }
    }

    /// The threads on which every SQLite store of the process makes the calls that wait but do not
    /// write: reads made again while another process holds the file, and the size of its files.
    /// Threads of their own, started as calls arrive and no thread is idle, never those of Swift's
    /// cooperative pool.
    static let threads = ThreadPoolExecutor(name: "cairn.sqlite")

    /// The file beside the database that holds space back for ``writeMakingRoom(_:)``:
    /// `metadata.sqlite-reserve`.
    var reservePath: String { path + "-reserve" }

    /// How long, in seconds, a write waits for another connection's write transaction to end.
    static let busyTimeout: TimeInterval = 30

    /// The schema version of the file: the identifier of the last applied migration (`v1`).
    public func schemaVersion() async throws -> String {
        let applied = try await read { db in try Self.migrator.appliedMigrations(db) }
        guard let last = applied.last else {
            throw CairnError.store("the metadata store at \(path) has no schema")
        }
        return last
    }

    /// The size of the database file with its `-wal` and `-shm` files.
    public func storedBytes() async throws -> Int64 {
        try await offPool {
            ["", "-wal", "-shm"].reduce(0) { total, suffix in
                total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
            }
        }
    }

    /// Checks the file with SQLite's `PRAGMA integrity_check`.
    ///
    /// - Returns: The problems found; empty when the file is healthy.
    public func integrityCheck() async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
    }
}
