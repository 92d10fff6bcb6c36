/// A streaming RFC 4180 CSV reader working on bytes.
///
/// Handles quoted fields, `""` escapes, CRLF and LF (and lone CR) line ends, newlines inside
/// quotes (line numbers stay physical), a UTF-8 byte order mark, and a missing final newline.
/// The first row is the header (required). Empty lines are skipped. A quote inside an unquoted
/// field is kept literally; text after a closing quote marks the row ``SourceRow/malformed``.
/// Invalid UTF-8 becomes U+FFFD, which the normalizers reject. Not thread-safe: one reader, one thread.
public final class CSVReader {
    /// Where one field of the current row lies in the buffer.
    struct Span {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    private enum Scan {
        case row(line: Int, malformed: String?)
        case blank
        case needMore
        case end
    }

    private let buffer: ByteBuffer
    private var line = 1
    /// Field positions of the row scanned last (valid until the next scan).
    private(set) var spans: [Span] = []
    private let delimiter: UInt8
    /// The header row's column names (spaces around names removed).
    public private(set) var header: [String] = []

    /// Opens a CSV file and reads its header row.
    /// - Parameters:
    ///   - path: the file path.
    ///   - chunkSize: bytes read per `read` call (default 1 MiB).
    ///   - delimiter: the field separator byte (default `,`).
    /// - Throws: ``ImportError`` `.unreadableFile`, `.malformedHeader`, `.malformedLine`.
    public init(path: String, chunkSize: Int = 1 << 20, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        buffer = try ByteBuffer(path: path, chunkSize: chunkSize)
        self.delimiter = delimiter
        try readHeader()
    }

    /// Reads CSV from bytes in memory and reads the header row.
    /// - Parameters:
    ///   - bytes: the whole CSV text as UTF-8.
    ///   - delimiter: the field separator byte (default `,`).
    /// - Throws: ``ImportError`` `.malformedHeader`, `.malformedLine`.
    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) throws {
        buffer = ByteBuffer(bytes: bytes)
        self.delimiter = delimiter
        try readHeader()
    }

    /// Bytes consumed so far, for progress reporting.
    public var bytesRead: Int { buffer.bytesConsumed }
    /// Size of the input, when known.
    public var totalBytes: Int? { buffer.totalBytes }

    private func readHeader() throws {
        while buffer.end - buffer.position < 3, try buffer.refill() {}
        let b = buffer.base + buffer.position
        if buffer.end - buffer.position >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            buffer.position += 3
        }
        guard let row = try next() else {
            throw ImportError(.malformedHeader, "the file is empty: a header row is required", inputLine: 1)
        }
        guard row.malformed == nil else {
            throw ImportError(.malformedHeader, "the header row is malformed", inputLine: row.line)
        }
        header = row.fields.map { $0.trimmingSpaces() }
        var seen: Set<String> = []
        for name in header where !seen.insert(name).inserted {
            throw ImportError(.malformedHeader, "column \"\(name)\" appears twice in the header", inputLine: row.line)
        }
    }

    /// Reads the next row.
    /// - Returns: the row, or `nil` at end of input.
    /// - Throws: ``ImportError`` `.malformedLine` for a quoted field not closed before end of
    ///   file (naming the line where the row starts), `.unreadableFile` on a read error.
    public func next() throws -> SourceRow? {
        guard let (line, malformed) = try nextSpans() else { return nil }
        return SourceRow(line: line, fields: currentFields(), malformed: malformed)
    }

    /// Scans the next row, leaving its field positions in ``spans`` (relative to ``base``).
    func nextSpans() throws -> (line: Int, malformed: String?)? {
        while true {
            switch try scan() {
            case .row(let line, let malformed): return (line, malformed)
            case .blank: continue
            case .end: return nil
            case .needMore: _ = try buffer.refill()
            }
        }
    }

    private func scan() throws -> Scan {
        let b = buffer.base
        let end = buffer.end
        let eof = buffer.atEOF
        var i = buffer.position
        if i >= end { return eof ? .end : .needMore }
        let quote = UInt8(ascii: "\""), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let delimiter = self.delimiter
        if b[i] == lf {
            buffer.position = i + 1
            line += 1
            return .blank
        }
        if b[i] == cr {
            if i + 1 >= end && !eof { return .needMore }
            buffer.position = i + 1 < end && b[i + 1] == lf ? i + 2 : i + 1
            line += 1
            return .blank
        }
        var spans: [Span] = []
        swap(&spans, &self.spans)
        defer { swap(&spans, &self.spans) }
        spans.removeAll(keepingCapacity: true)
        var newlines = 0
        var malformed: String?
        while true {
            if i < end && b[i] == quote {
                var j = i + 1
                var escaped = false
                while true {
                    if j >= end {
                        if eof {
                            throw ImportError(.malformedLine, "quoted field is not closed before the end of the file", inputLine: line)
                        }
                        return .needMore
                    }
                    let c = b[j]
                    if c == quote {
                        if j + 1 >= end && !eof { return .needMore }
                        if j + 1 < end && b[j + 1] == quote {
                            escaped = true
                            j += 2
                            continue
                        }
                        break
                    }
                    if c == lf { newlines += 1 }
                    j += 1
                }
                spans.append(Span(start: i + 1, end: j, escaped: escaped))
                i = j + 1
                if i < end && b[i] != delimiter && b[i] != lf && b[i] != cr {
                    malformed = "unexpected text after a closing quote"
                    while i < end && b[i] != delimiter && b[i] != lf && b[i] != cr { i += 1 }
                }
            } else {
                let start = i
                while i < end {
                    let c = b[i]
                    if c == delimiter || c == lf || c == cr { break }
                    i += 1
                }
                spans.append(Span(start: start, end: i, escaped: false))
            }
            if i >= end {
                if !eof { return .needMore }
                break
            }
            let c = b[i]
            i += 1
            if c == delimiter { continue }
            if c == cr {
                if i >= end && !eof { return .needMore }
                if i < end && b[i] == lf { i += 1 }
            }
            newlines += 1
            break
        }
        let rowLine = line
        buffer.position = i
        line += newlines
        return .row(line: rowLine, malformed: malformed)
    }

    /// The buffer the current ``spans`` point into.
    var base: UnsafeMutablePointer<UInt8> { buffer.base }

    /// The fields of the row scanned last, as strings.
    func currentFields() -> [String] {
        let b = buffer.base
        var fields: [String] = []
        fields.reserveCapacity(spans.count)
        for span in spans {
            let bytes = UnsafeBufferPointer(start: b + span.start, count: span.end - span.start)
            if span.escaped {
                fields.append(Self.unescape(bytes))
            } else {
                fields.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return fields
    }

    private static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            out.append(bytes[i])
            i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
