import AccordNode
import Foundation

/// `accord verify`: checks the store end to end (SQLite integrity, every stream gap-free, linked
/// and signed, no batch half-applied); exits 1 when anything is wrong.
enum VerifyCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        let report = try node.verify()
        if arguments.flag("json") {
            try Output.json([
                "integrity": report.integrity, "streams": report.streams, "batches": report.batches,
                "leavesChecked": report.leavesChecked, "leavesRedacted": report.leavesRedacted,
                "problems": report.problems, "sound": report.isSound,
            ] as [String: Any])
        } else {
            Output.line("integrity: \(report.integrity)")
            Output.line("checked \(Output.grouped(report.streams)) streams, \(Output.grouped(report.batches)) batches, "
                + "\(Output.grouped(report.leavesChecked)) leaves (\(Output.grouped(report.leavesRedacted)) redacted)")
            for problem in report.problems { Output.line("problem: \(problem)") }
            Output.line(report.isSound ? "sound" : "NOT SOUND")
        }
        guard report.isSound else { throw VerificationFailed() }
    }
}

/// The store did not verify; the report was printed.
struct VerificationFailed: Error, CustomStringConvertible {
    var description: String { "the store did not verify (see the problems above)" }
}
