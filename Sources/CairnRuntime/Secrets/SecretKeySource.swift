public import CairnCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a stack's master keys for secrets come from.
///
/// - A stack whose records are in an SQLite file keeps its key in `secrets.key` beside the file
///   (`.cairn/secrets.key` for the local stack), made with mode 0600 when the first secret is stored.
/// - `$CAIRN_SECRETS_KEY` (keys written `ID:BASE64`, comma-separated, the current one first) wins
///   over any file: for CI and clusters. `$CAIRN_SECRETS_KEY_FILE` names a key file instead.
/// - A stack whose records are in PostgreSQL, shared by a team, has no key unless one of those two
///   variables gives it: a key is never made for it on its own, and secrets are refused without one.
public enum SecretKeySource: Sendable, Equatable, CustomStringConvertible {
    /// A key file: `ID:BASE64` a line, the current key first; made with mode 0600 on first use.
    case file(path: String)
    /// An environment variable holding `ID:BASE64` keys, comma-separated, the current key first.
    case environment(variable: String)
    /// Keys given in code.
    case keys(MasterKeyring)
    /// No key; `reason` says what to configure.
    case missing(reason: String)

    /// The variable that holds master keys: `CAIRN_SECRETS_KEY`.
    public static let keyVariable = "CAIRN_SECRETS_KEY"
    /// The variable that names a key file: `CAIRN_SECRETS_KEY_FILE`.
    public static let keyFileVariable = "CAIRN_SECRETS_KEY_FILE"
    /// The key file's name beside an SQLite store: `secrets.key`.
    public static let fileName = "secrets.key"

    /// The source for a stack described by `configuration` (`nil` for a stack made in code), given
    /// the process's `environment`.
    public static func forStack(_ configuration: StackConfiguration?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> SecretKeySource
    {
        if environment[keyVariable]?.isEmpty == false { return .environment(variable: keyVariable) }
        if let path = environment[keyFileVariable], !path.isEmpty { return .file(path: path) }
        guard let configuration else {
            return .missing(reason: "this stack was made in code: give it keys with `stack.secretKeys`, or set $\(keyVariable)")
        }
        switch configuration.metadataStore {
        case .sqlite(let path):
            return .file(path: URL(filePath: path).deletingLastPathComponent().appending(path: fileName).path)
        case .postgresql:
            return .missing(
                reason: "stack '\(configuration.name)' is shared in PostgreSQL, and its secrets are stored only under a master key "
                    + "configured for it: set $\(keyVariable) to ID:BASE64 (for instance k1:$(openssl rand -base64 32)), "
                    + "or $\(keyFileVariable) to a key file's path")
        }
    }

    /// Where the keys are, for messages: never a key.
    public var description: String {
        switch self {
        case .file(let path): "the key file \(path)"
        case .environment(let variable): "$\(variable)"
        case .keys: "the keys given in code"
        case .missing: "no master key"
        }
    }

    /// The keys.
    ///
    /// - Parameter creating: Whether a key file that does not exist is made, with a new key: when
    ///   a secret is to be stored. Reading never makes one.
    /// - Throws: ``SecretError/noMasterKey(reason:)`` when there is none, or a key file can be read
    ///   by others; ``SecretError/invalidMasterKey(source:reason:)`` when one is malformed.
    public func keyring(creating: Bool) throws -> MasterKeyring {
        switch self {
        case .keys(let keyring):
            return keyring
        case .missing(let reason):
            throw SecretError.noMasterKey(reason: reason)
        case .environment(let variable):
            guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else {
                throw SecretError.noMasterKey(reason: "$\(variable) is not set")
            }
            return try MasterKeyring(parsing: text, source: "$\(variable)")
        case .file(let path):
            if FileManager.default.fileExists(atPath: path) { return try Self.read(path) }
            guard creating else {
                throw SecretError.noMasterKey(reason: "there is no key file at \(path); it is made when the first secret is created")
            }
            return try Self.create(at: path)
        }
    }

    /// Replaces the keys of a key file with `keyring`, atomically and with mode 0600.
    ///
    /// - Throws: ``SecretError/noMasterKey(reason:)`` for keys that are not in a file, which Cairn cannot change.
    func replace(with keyring: MasterKeyring) throws {
        guard case .file(let path) = self else {
            throw SecretError.noMasterKey(reason: "\(description) cannot be changed by Cairn")
        }
        let staged = try Self.writePrivate(keyring.text, beside: path)
        guard rename(staged, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(staged)
            throw SecretError.noMasterKey(reason: "cannot replace the key file \(path): \(problem)")
        }
    }

    /// Reads a key file, refusing one that others can read.
    private static func read(_ path: String) throws -> MasterKeyring {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw SecretError.noMasterKey(reason: "cannot read the key file \(path): \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SecretError.noMasterKey(
                reason: "the key file \(path) can be read by other users (mode \(String(mode, radix: 8))); make it private with `chmod 600 \(path)`")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SecretError.noMasterKey(reason: "cannot read the key file \(path)")
        }
        return try MasterKeyring(parsing: text, source: "the key file \(path)")
    }

    /// Makes a key file with a new key. Of two processes making it at once, one writes it and the
    /// other reads what the first wrote: the file appears whole, by a hard link, or not at all.
    private static func create(at path: String) throws -> MasterKeyring {
        let keyring = MasterKeyring(current: .generate())
        try? FileManager.default.createDirectory(at: URL(filePath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let staged = try writePrivate(keyring.text, beside: path)
        defer { unlink(staged) }
        if link(staged, path) == 0 { return keyring }
        guard errno == EEXIST else {
            throw SecretError.noMasterKey(reason: "cannot make the key file \(path): \(String(cString: strerror(errno)))")
        }
        return try read(path)
    }

    /// Writes `text` to a new file beside `path`, readable by its owner only, flushed; returns its path.
    private static func writePrivate(_ text: String, beside path: String) throws -> String {
        let staged = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(staged, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SecretError.noMasterKey(reason: "cannot write a key file beside \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(staged)
            throw SecretError.noMasterKey(reason: "cannot write a key file beside \(path): \(String(cString: strerror(errno)))")
        }
        return staged
    }
}
