#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An error writing sample data.
public struct SampleDataError: Error, CustomStringConvertible, Equatable {
    /// The kind of error.
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable { case cannotWrite }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The output file could not be created or written.
        public static let cannotWrite = Code(.cannotWrite)
    }

    /// What kind of error.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// Source file of the throw site.
    public let file: String
    /// Source line of the throw site.
    public let line: UInt

    init(_ code: Code, _ message: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// The message.
    public var description: String { message }

    /// Compares codes only.
    public static func == (lhs: SampleDataError, rhs: SampleDataError) -> Bool { lhs.code == rhs.code }
}

extension SamplePopulation {
    /// Writes a unit's records as CSV (header ``csvHeader``, LF line ends, RFC 4180 quoting).
    /// - Parameters:
    ///   - unit: the unit name.
    ///   - coverage: share of persons the unit holds.
    ///   - noise: share of noisy records.
    ///   - path: output file (replaced).
    ///   - limit: stop after this many rows.
    /// - Returns: the number of data rows written.
    /// - Throws: ``SampleDataError`` `.cannotWrite`.
    @discardableResult
    public func writeCSV(unit: String, coverage: Double, noise: Double, to path: String, limit: Int? = nil) throws -> Int {
        let writer = try SampleCSVWriter(path: path)
        writer.row(Self.csvHeader)
        var rows = 0
        for record in records(unit: unit, coverage: coverage, noise: noise) {
            if let limit, rows >= limit { break }
            writer.row(CollectionOfOne(record.localId) + record.values)
            rows += 1
            try writer.flushIfFull()
        }
        try writer.close()
        return rows
    }
}

/// Writes CSV (RFC 4180 quoting, LF line ends) through a 1 MiB buffer.
final class SampleCSVWriter {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    private var out: [UInt8] = []
    private var closed = false

    /// Creates (replaces) the file.
    /// - Throws: ``SampleDataError`` `.cannotWrite`.
    init(path: String) throws {
        guard let file = fopen(path, "wb") else {
            throw SampleDataError(.cannotWrite, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
        out.reserveCapacity(1 << 20 + 4096)
    }

    deinit { if !closed { fclose(file) } }

    /// Appends one row.
    func row(_ fields: some Sequence<String>) {
        var first = true
        for field in fields {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            append(field)
        }
        out.append(0x0A)
    }

    /// Writes the buffer out once it holds 1 MiB.
    func flushIfFull() throws { if out.count >= 1 << 20 { try flush() } }

    /// Writes what is buffered and closes the file.
    func close() throws {
        try flush()
        closed = true
        guard fclose(file) == 0 else {
            throw SampleDataError(.cannotWrite, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func flush() throws {
        let written = out.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == out.count else {
            throw SampleDataError(.cannotWrite, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        out.removeAll(keepingCapacity: true)
    }

    private func append(_ field: String) {
        var needsQuotes = false
        for b in field.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            out.append(contentsOf: field.utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in field.utf8 {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
