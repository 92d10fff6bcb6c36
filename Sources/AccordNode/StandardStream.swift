import Foundation

/// The process's standard output or standard error, written without ever trapping: a failed write
/// (a full disk under the log file, a closed pipe) loses that text and nothing else.
/// `FileHandle.write(_: Data)` raises a fatal error when the write fails, which would take a node
/// down because its log could not be written.
public enum StandardStream: Sendable {
    /// Standard output.
    case output
    /// Standard error (logs, progress, messages).
    case error

    /// Writes `text` as UTF-8; a failure is ignored.
    public func write(_ text: String) {
        let handle = self == .output ? FileHandle.standardOutput : FileHandle.standardError
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
