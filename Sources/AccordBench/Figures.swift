import Foundation

/// Printing figures and measuring time and memory.
enum Figures {
    /// Prints `name = value unit (goal ...)`.
    static func report(_ name: String, _ value: Double, _ unit: String, goal: String? = nil, decimals: Int = 0) {
        var line = "\(name) = \(String(format: "%.\(decimals)f", value))" + (unit.isEmpty ? "" : " \(unit)")
        if let goal { line += " (goal \(goal))" }
        // Not `FileHandle.write(_: Data)`: with SIGPIPE ignored it traps when the reader of a pipe
        // has gone (`accord-bench match | head`); stop quietly instead.
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            exit(0)
        }
    }

    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Peak resident set size of this process so far, in MiB (`ru_maxrss`).
    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Size of a file plus its WAL, in MiB.
    static func fileMiB(_ path: String) -> Double {
        var total = 0.0
        for suffix in ["", "-wal"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber {
                total += size.doubleValue
            }
        }
        return total / 1_048_576
    }

    /// A new temporary directory.
    static func temporaryDirectory(_ prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The value of `--name` in `arguments`, if present.
    static func option(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}
