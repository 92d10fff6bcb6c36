/// A streaming reader for JSON lines: one JSON object per line.
///
/// Values of the requested `columns` become fields in column order: strings as is, numbers
/// as written, booleans as `true`/`false`, `null` or a missing key as `""`, arrays of scalars
/// joined with the multi-value separator. Other keys are skipped. A line that is not a JSON
/// object (or holds a nested object for a requested column) does not stop the import: it is
/// returned as a row with empty fields and ``SourceRow/malformed`` set, which ``RowImporter``
/// reports as a ``RowError``. Blank lines are skipped; line numbers are physical (first line 1).
public final class JSONLinesReader {
    private let buffer: ByteBuffer
    private let columnKeys: [[UInt8]]
    private let separator: UInt8
    private var line = 1
    private var scratch: [UInt8] = []
    /// The requested columns, which act as the header for ``RowImporter``.
    public let header: [String]

    /// Opens a JSON lines file.
    /// - Parameters:
    ///   - path: the file path.
    ///   - columns: the keys to read, in field order.
    ///   - separator: joins array elements (default `|`).
    ///   - chunkSize: bytes read per call (default 1 MiB).
    /// - Throws: ``ImportError`` `.unreadableFile`.
    public init(path: String, columns: [String], separator: UInt8 = UInt8(ascii: "|"), chunkSize: Int = 1 << 20) throws {
        buffer = try ByteBuffer(path: path, chunkSize: chunkSize)
        header = columns
        columnKeys = columns.map { Array($0.utf8) }
        self.separator = separator
    }

    /// Reads JSON lines from bytes in memory.
    /// - Parameters:
    ///   - bytes: the whole input as UTF-8.
    ///   - columns: the keys to read, in field order.
    ///   - separator: joins array elements (default `|`).
    public init(bytes: [UInt8], columns: [String], separator: UInt8 = UInt8(ascii: "|")) {
        buffer = ByteBuffer(bytes: bytes)
        header = columns
        columnKeys = columns.map { Array($0.utf8) }
        self.separator = separator
    }

    /// Bytes consumed so far, for progress reporting.
    public var bytesRead: Int { buffer.bytesConsumed }
    /// Size of the input, when known.
    public var totalBytes: Int? { buffer.totalBytes }

    /// Reads the next non-blank line.
    /// - Returns: the row (possibly flagged malformed), or `nil` at end of input.
    /// - Throws: ``ImportError`` `.unreadableFile` on a read error.
    public func next() throws -> SourceRow? {
        while true {
            var i = buffer.position
            let b = buffer.base
            while i < buffer.end && b[i] != 0x0A { i += 1 }
            if i >= buffer.end && !buffer.atEOF {
                _ = try buffer.refill()
                continue
            }
            let start = buffer.position
            if start >= buffer.end { return nil }
            var lineEnd = i
            buffer.position = i < buffer.end ? i + 1 : i
            let thisLine = line
            line += 1
            if lineEnd > start && b[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            var parser = JSONObjectParser(
                bytes: UnsafeBufferPointer(start: b + start, count: lineEnd - start),
                keys: columnKeys, separator: separator)
            if parser.isBlank() { continue }
            switch parser.parse(scratch: &scratch) {
            case .success(let fields): return SourceRow(line: thisLine, fields: fields)
            case .failure(let problem):
                return SourceRow(
                    line: thisLine, fields: Array(repeating: "", count: columnKeys.count), malformed: problem.reason)
            }
        }
    }
}
