import Foundation

/// A child process of the harness (`accord` and its subcommands), its output in files so a chatty
/// child never blocks on a full pipe.
///
/// `@unchecked Sendable`: `Process` is used from the thread that made it and read (pid, state)
/// from others, which Foundation allows.
final class ChildProcess: @unchecked Sendable {
    /// What a finished command printed and how it ended.
    struct Result: Sendable {
        /// The exit status, or `nil` when it was killed after its timeout.
        var status: Int32?
        var stdout: String
        var stderr: String
        var ok: Bool { status == 0 }
    }

    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Starts `executable` with `arguments`; stdout and stderr go to the given files (appended);
    /// `environment` adds to (or overrides) the harness's own.
    init(_ executable: String, _ arguments: [String], stdout: String, stderr: String, environment: [String: String] = [:]) throws {
        stdoutPath = stdout
        stderrPath = stderr
        for path in [stdout, stderr] where !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
        out.seekToEndOfFile()
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        err.seekToEndOfFile()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? out.close()
        try? err.close()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Sends a signal.
    func signal(_ number: Int32) { if process.isRunning { kill(process.processIdentifier, number) } }

    /// Waits up to `timeout` seconds; then kills it (SIGKILL) and returns `false`.
    @discardableResult
    func wait(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        if process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        process.waitUntilExit()
        return true
    }

    /// Kills it with SIGKILL and reaps it.
    func killNow() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Runs a command to its end (killed after `timeout` seconds), in a scratch directory for its
    /// output; `environment` as for ``init(_:_:stdout:stderr:environment:)``.
    static func run(
        _ executable: String, _ arguments: [String], scratch: String, timeout: Double = 60, environment: [String: String] = [:]
    ) throws -> Result {
        let name = UUID().uuidString.prefix(12)
        let out = scratch + "/\(name).out"
        let err = scratch + "/\(name).err"
        let child = try ChildProcess(executable, arguments, stdout: out, stderr: err, environment: environment)
        let finished = child.wait(timeout: timeout)
        let result = Result(status: finished ? child.process.terminationStatus : nil, stdout: child.stdout, stderr: child.stderr)
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: err)
        return result
    }
}
