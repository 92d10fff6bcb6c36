internal import Foundation

/// Plain TCP helpers for TLS sessions: listening, accepting and connecting with time limits.
///
/// Descriptors are created close-on-exec; accepted and connected sockets get `TCP_NODELAY`
/// (the sync protocol sends small frames and waits for answers). Failures throw ``CryptoError``
/// with code `ioFailed` or `timedOut`, naming the address and the `errno` text.
public enum Socket {
    /// Opens a listening TCP socket.
    ///
    /// - Parameters:
    ///   - host: a numeric address or host name to bind to, for example `127.0.0.1`.
    ///   - port: the port; 0 lets the kernel pick a free one.
    ///   - backlog: the `listen(2)` backlog.
    /// - Returns: the listening descriptor and the port actually bound.
    /// - Throws: ``CryptoError`` `ioFailed` when the address does not resolve or bind/listen fail.
    public static func listen(host: String, port: UInt16, backlog: Int32 = 128) throws -> (fd: Int32, port: UInt16) {
        var failure = "no address"
        for address in try resolve(host: host, port: port, passive: true) {
            let descriptor = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                failure = errnoText()
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            let bound = address.bytes.withUnsafeBytes { raw in
                bind(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), address.length)
            }
            guard bound == 0, Foundation.listen(descriptor, backlog) == 0 else {
                failure = errnoText()
                Foundation.close(descriptor)
                continue
            }
            return (descriptor, try boundPort(descriptor))
        }
        throw CryptoError(.ioFailed, "cannot listen on \(host):\(port): \(failure)")
    }

    /// Accepts one connection, retrying on `EINTR`.
    ///
    /// Honors `SO_RCVTIMEO` of the listener (see ``setTimeouts(_:read:write:)``).
    /// - Parameter listener: a descriptor from ``listen(host:port:backlog:)``.
    /// - Returns: the connected descriptor (blocking, close-on-exec, `TCP_NODELAY`).
    /// - Throws: ``CryptoError`` `timedOut` when the listener's receive timeout passed, else `ioFailed`.
    public static func accept(_ listener: Int32) throws -> Int32 {
        while true {
            // accept4 is not visible without _GNU_SOURCE; set FD_CLOEXEC right after.
            let descriptor = Foundation.accept(listener, nil, nil)
            if descriptor >= 0 {
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                setNoDelay(descriptor)
                return descriptor
            }
            let number = errno
            if number == EINTR || number == ECONNABORTED { continue }
            if number == EAGAIN || number == EWOULDBLOCK {
                throw CryptoError(.timedOut, "no connection arrived on listener \(listener) in time")
            }
            throw CryptoError(.ioFailed, "accept on listener \(listener) failed: \(errnoText(number))")
        }
    }

    /// Connects to `host:port`, trying each resolved address, each within `timeout` seconds.
    ///
    /// - Parameters:
    ///   - host: numeric address or host name.
    ///   - port: TCP port.
    ///   - timeout: seconds allowed per address.
    /// - Returns: a connected, blocking descriptor (close-on-exec, `TCP_NODELAY`).
    /// - Throws: ``CryptoError`` `timedOut` or `ioFailed` naming the address.
    public static func connect(host: String, port: UInt16, timeout: Double) throws -> Int32 {
        var failure = CryptoError(.ioFailed, "cannot connect to \(host):\(port): no address")
        for address in try resolve(host: host, port: port, passive: false) {
            let descriptor = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                failure = CryptoError(.ioFailed, "cannot create a socket for \(host):\(port): \(errnoText())")
                continue
            }
            do {
                try setBlocking(descriptor, false)
                let started = address.bytes.withUnsafeBytes { raw in
                    Foundation.connect(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), address.length)
                }
                if started != 0 {
                    guard errno == EINPROGRESS else { throw CryptoError(.ioFailed, errnoText()) }
                    guard wait(descriptor, events: Int16(POLLOUT), until: monotonicNow() + timeout) else {
                        throw CryptoError(.timedOut, "cannot connect to \(host):\(port) within \(timeout) s")
                    }
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    _ = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
                    guard error == 0 else { throw CryptoError(.ioFailed, errnoText(error)) }
                }
                try setBlocking(descriptor, true)
                setNoDelay(descriptor)
                return descriptor
            } catch let error as CryptoError {
                Foundation.close(descriptor)
                failure = error.code == .timedOut
                    ? error : CryptoError(.ioFailed, "cannot connect to \(host):\(port): \(error.message)")
            }
        }
        throw failure
    }

    /// Sets `SO_RCVTIMEO` and `SO_SNDTIMEO`; 0 means wait forever. ``TLSConnection`` reads these
    /// values at each read and write and uses them as its time limits.
    ///
    /// - Parameters:
    ///   - fd: the socket.
    ///   - read: seconds a read (or an accept on a listener) may wait.
    ///   - write: seconds a write may wait without progress.
    public static func setTimeouts(_ fd: Int32, read: Double, write: Double) {
        for (option, seconds) in [(SO_RCVTIMEO, read), (SO_SNDTIMEO, write)] {
            let clamped = max(0, seconds)
            var value = timeval(tv_sec: Int(clamped), tv_usec: Int((clamped - clamped.rounded(.down)) * 1_000_000))
            _ = setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Closes a descriptor (for example a listener), ignoring errors.
    ///
    /// - Parameter fd: the descriptor.
    public static func close(_ fd: Int32) {
        _ = Foundation.close(fd)
    }

    // MARK: - Internals shared with TLSConnection

    /// Seconds on a monotonic clock.
    static func monotonicNow() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Polls `fd` for `events` until `deadline` (`nil` = forever). Returns `false` on timeout;
    /// `true` when the descriptor is ready or in an error/hang-up state (the caller's next
    /// operation reports that).
    static func wait(_ fd: Int32, events: Int16, until deadline: Double?) -> Bool {
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline - monotonicNow()
                if remaining <= 0 { return false }
                milliseconds = Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up))
            }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let result = poll(&entry, 1, milliseconds)
            if result > 0 { return true }
            if result < 0 && errno != EINTR { return true }
        }
    }

    /// The socket's `SO_RCVTIMEO` or `SO_SNDTIMEO` in seconds; `nil` when unset (wait forever).
    static func timeout(_ fd: Int32, _ option: Int32) -> Double? {
        var value = timeval()
        var length = socklen_t(MemoryLayout<timeval>.size)
        guard getsockopt(fd, SOL_SOCKET, option, &value, &length) == 0 else { return nil }
        let seconds = Double(value.tv_sec) + Double(value.tv_usec) / 1e6
        return seconds > 0 ? seconds : nil
    }

    static func setBlocking(_ fd: Int32, _ blocking: Bool) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { throw CryptoError(.ioFailed, "fcntl(F_GETFL) failed: \(errnoText())") }
        let wanted = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK
        guard wanted == flags || fcntl(fd, F_SETFL, wanted) == 0 else {
            throw CryptoError(.ioFailed, "fcntl(F_SETFL) failed: \(errnoText())")
        }
    }

    static func errnoText(_ number: Int32 = errno) -> String {
        "\(String(cString: strerror(number))) (errno \(number))"
    }

    private static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    private struct Address {
        let family: Int32
        let bytes: [UInt8]
        let length: socklen_t
    }

    private static func resolve(host: String, port: UInt16, passive: Bool) throws -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw CryptoError(.ioFailed, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var cursor = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(entry.pointee.ai_addrlen))
                addresses.append(Address(family: entry.pointee.ai_family, bytes: Array(bytes), length: entry.pointee.ai_addrlen))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    private static func boundPort(_ fd: Int32) throws -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else {
            Foundation.close(fd)
            throw CryptoError(.ioFailed, "getsockname failed: \(errnoText())")
        }
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }
}
