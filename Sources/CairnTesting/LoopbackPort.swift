#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP port on loopback that this process has bound and does not listen on.
///
/// While it is open, a connection to it is refused and no other program can take it: what a test
/// of an unreachable server needs. Closed, its number is a port that was free a moment ago.
public struct LoopbackPort: Sendable {
    /// The port's number.
    public let number: Int
    private let descriptor: Int32

    /// No port could be bound.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Binds a port the system chooses, on 127.0.0.1.
    public init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "cannot open a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            _ = closeDescriptor(descriptor)
            throw Failure(description: "cannot bind a port on loopback: \(reason)")
        }
        self.descriptor = descriptor
        number = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Gives the port back.
    public func close() {
        _ = closeDescriptor(descriptor)
    }
}

/// `close(2)`, which ``LoopbackPort/close()`` hides.
private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
