import Foundation

/// Prints figures as `name = value unit`, one a line, on stdout (flushed at once).
enum Figures {
    /// Prints one figure.
    static func print(_ name: String, _ value: String, _ unit: String = "") {
        let line = unit.isEmpty ? "\(name) = \(value)\n" : "\(name) = \(value) \(unit)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// Prints one integer figure.
    static func print(_ name: String, _ value: Int, _ unit: String = "") { print(name, "\(value)", unit) }

    /// Prints one figure in seconds with two decimals.
    static func seconds(_ name: String, _ value: Double) { print(name, String(format: "%.2f", value), "s") }

    /// Progress and problems, on stderr.
    static func note(_ text: String) { FileHandle.standardError.write(Data("accord-reliability: \(text)\n".utf8)) }
}
