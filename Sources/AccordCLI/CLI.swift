import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation
/// Dispatches a command line to its command.
enum CLI {
    static let version = "0.1.0"

    static func run(_ arguments: [String]) throws {
        guard let command = arguments.first else {
            Output.line(Help.overview)
            throw UsageError(message: "no command given")
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            Output.line(Help.text(for: command) ?? Help.overview)
            return
        }
        switch command {
        case "help", "--help", "-h":
            Output.line(rest.first.flatMap(Help.text(for:)) ?? Help.overview)
        case "version", "--version":
            Output.line("accord \(version)")
        case "init":
            try InitCommand.run(rest)
        case "import":
            try ImportCommand.run(rest)
        case "record":
            try RecordCommand.run(rest)
        case "records":
            try RecordsCommand.run(rest)
        case "status":
            try StatusCommand.run(rest)
        case "demo":
            try DemoCommand.run(rest)
        case "peer":
            try PeerCommand.run(rest)
        case "digest":
            try DigestCommand.run(rest)
        case "serve":
            try ServeCommand.run(rest)
        case "policy":
            try PolicyCommand.run(rest)
        case "consent":
            try ConsentCommand.run(rest)
        case "subject":
            try SubjectCommand.run(rest)
        case "audit":
            try AuditCommand.run(rest)
        case "interaction":
            try InteractionCommand.run(rest)
        case "retention":
            try RetentionCommand.run(rest)
        case "rejected":
            try RejectedCommand.run(rest)
        case "verify":
            try VerifyCommand.run(rest)
        case "sample":
            try SampleCommand.run(rest)
        case "key":
            try KeyCommand.run(rest)
        case "backup":
            try BackupCommand.run(rest)
        case "restore":
            try RestoreCommand.run(rest)
        case "erase":
            try EraseCommand.run(rest)
        case "unit":
            try UnitCommand.run(rest)
        case "token":
            try TokenCommand.run(rest)
        case "profile":
            try ProfileCommand.run(rest)
        case "review":
            try ReviewCommand.run(rest)
        case "match":
            try MatchCommand.run(rest)
        case "inventory":
            try InventoryCommand.run(rest)
        case "segment":
            try SegmentCommand.run(rest)
        case "report":
            try ReportCommand.run(rest)
        default:
            throw UsageError(message: "unknown command \"\(command)\"")
        }
    }

    /// The node directory: `--node`, else `$ACCORD_NODE`, else `./accord-node`.
    static func nodeDirectory(_ arguments: Arguments) -> String {
        arguments.option("node") ?? ProcessInfo.processInfo.environment["ACCORD_NODE"] ?? "accord-node"
    }

    /// Opens the node named by the arguments.
    static func openNode(_ arguments: Arguments) throws -> Node {
        try Node(directory: nodeDirectory(arguments))
    }
}
