import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation
/// `accord init`: creates a node directory.
enum InitCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["unit", "policy", "node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        guard let unit = arguments.option("unit") else { throw UsageError(message: "missing --unit UNIT") }
        let policyText: [UInt8]
        if let path = arguments.option("policy") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw NodeError(.invalidPolicy, "cannot read the policy file \(path)")
            }
            policyText = [UInt8](data)
        } else {
            policyText = Array(SamplePolicy.text.utf8)
        }
        let directory = CLI.nodeDirectory(arguments)
        let node = try Node.initialize(directory: directory, unit: unit, policyText: policyText)
        if arguments.flag("json") {
            try Output.json(["unit": node.unit.rawValue, "directory": directory, "federation": node.policy.federation,
                             "policyVersion": node.policy.version, "publicKey": try node.publicKey.pemRepresentation(),
                             "signingKey": node.publicKeyBase64])
        } else {
            Output.line("Created node for unit \(node.unit) of federation \(node.policy.federation) in \(directory)")
            Output.line("Signing key: \(directory)/keys/signing.pem (mode 0600)")
            Output.line("Public signing key, for units[].signingKey in the federation policy: \(node.publicKeyBase64)")
        }
    }
}
