#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte window over a file (read in large chunks) or an in-memory array.
/// Owns its memory; used by one reader on one thread.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Start of unconsumed bytes.
    var position = 0
    /// End of valid bytes.
    private(set) var end = 0
    /// Whether the source has no more bytes beyond `end`.
    private(set) var atEOF = false
    /// Bytes consumed before `base[0]`.
    private var discarded = 0
    private let chunkSize: Int
    private var file: UnsafeMutablePointer<FILE>?
    /// Total size of the source, when known.
    let totalBytes: Int?

    /// Opens `path` for chunked reading.
    /// - Throws: ``ImportError`` `.unreadableFile`.
    init(path: String, chunkSize: Int) throws {
        guard let handle = fopen(path, "rb") else {
            throw ImportError(.unreadableFile, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        totalBytes = fstat(fileno(handle), &info) == 0 ? Int(info.st_size) : nil
        file = handle
        self.chunkSize = max(chunkSize, 4096)
        capacity = self.chunkSize
        base = .allocate(capacity: capacity)
    }

    /// Wraps bytes already in memory.
    init(bytes: [UInt8]) {
        chunkSize = max(bytes.count, 1)
        capacity = chunkSize
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { src in
            if let address = src.baseAddress { memory.update(from: address, count: src.count) }
        }
        base = memory
        end = bytes.count
        totalBytes = bytes.count
        atEOF = true
    }

    deinit {
        base.deallocate()
        if let file { fclose(file) }
    }

    /// Bytes consumed so far (up to `position`).
    var bytesConsumed: Int { discarded + position }

    /// Moves unconsumed bytes to the front, grows if full, and reads another chunk.
    /// - Returns: `false` if nothing more could be read (then `atEOF` is true).
    /// - Throws: ``ImportError`` `.unreadableFile` on a read error.
    func refill() throws -> Bool {
        guard !atEOF, let file else { atEOF = true; return false }
        if position > 0 {
            let remaining = end - position
            if remaining > 0 { base.update(from: base + position, count: remaining) }
            discarded += position
            position = 0
            end = remaining
        }
        if capacity - end < chunkSize / 2 {
            let newCapacity = max(capacity * 2, end + chunkSize)
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: end)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
        let n = fread(base + end, 1, capacity - end, file)
        if n == 0 {
            if ferror(file) != 0 { throw ImportError(.unreadableFile, "read error: \(String(cString: strerror(errno)))") }
            atEOF = true
            return false
        }
        end += n
        return true
    }
}
