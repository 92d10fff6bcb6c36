import Foundation
import Testing

/// The governance commands on one node, without serving: usage errors, refusals, output.
@Suite("accord erase, unit add, policy publish, peer add: the command line")
struct GovernanceCLITests {
    @Test func usageErrorsExit64AndFailuresExit1() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            for command in [["erase", "--help"], ["unit", "--help"], ["retention", "--help"], ["rejected", "--help"], ["policy", "--help"]] {
                let help = try AccordBinary.run(command)
                #expect(help.status == 0 && help.stdout.contains("Usage: accord \(command[0])"), "\(command)")
            }
            #expect(try AccordBinary.run(["erase", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["erase", "status", "--node", node]).status == 64)
            let unknown = try AccordBinary.run(["erase", "status", "retail/0123", "--node", node])
            #expect(unknown.status == 1 && unknown.stderr.contains("no erasure request retail/0123"))
            let nothing = try AccordBinary.run(["erase", "nobody@example.com", "--node", node])
            #expect(nothing.status == 0, "\(nothing.stderr)")  // identifiers alone: other nodes may hold the person
            let badEmail = try AccordBinary.run(["erase", "not an@email", "--node", node])
            #expect(badEmail.status == 1 && badEmail.stderr.contains("the email is not valid"))
            #expect(try AccordBinary.run(["unit", "add", "marketing", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["peer", "add", "insurance", "--node", node]).status == 64, "the policy gives no endpoint")
            let publish = try AccordBinary.run(["policy", "publish", node + "/policy.json", "--node", node])
            #expect(publish.status == 1 && publish.stderr.contains("is not a governance unit"), "\(publish.stderr)")
        }
    }

    @Test func eraseByRecordDryRunThenForRealAndItsStatus() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            #expect(try AccordBinary.run(["record", "put", "C-1", "given_name=Zelphine", "email=z@example.com", "--node", node]).status == 0)
            #expect(try AccordBinary.run(["record", "put", "C-2", "email=Z@Example.com", "--node", node]).status == 0)
            let dry = try AccordBinary.run(["erase", "C-1", "--dry-run", "--node", node])
            #expect(dry.stdout.contains("would name 2 records (retail/C-1, retail/C-2)"), "\(dry.stdout)")
            #expect(try AccordBinary.run(["record", "show", "C-1", "--node", node]).status == 0, "a dry run writes nothing")
            let erased = try AccordBinary.run(["erase", "retail/C-1", "--reference", "GDPR-17", "--node", node])
            #expect(erased.status == 0 && erased.stdout.contains("Erased here: 3 entries removed"), "\(erased.stdout) \(erased.stderr)")
            let request = try #require(erased.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) })
            let status = try AccordBinary.run(["erase", "status", request, "--node", node])
            #expect(status.stdout.contains("retail ") && status.stdout.contains("acknowledged") && status.stdout.contains("Pending: governance, insurance, support, webshop."),
                    "\(status.stdout)")
            #expect(try AccordBinary.run(["record", "show", "C-2", "--node", node]).status == 1)
            let put = try AccordBinary.run(["record", "put", "C-1", "given_name=Zelphine", "--node", node])
            #expect(put.status == 1 && put.stderr.contains("was erased (erasure request \(request))"))
            #expect(try AccordBinary.run(["audit", "--action", "erasure.request", "--node", node]).stdout.contains("reference: GDPR-17"))
            let text = try AccordBinary.run(["status", "--node", node]).stdout
            #expect(text.contains("Erasures:    1 requests, 1 awaiting acknowledgements"), "\(text)")
        }
    }

    @Test func peerAddTakesTheEndpointFromThePolicy() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            let policy = directory + "/policy.json"
            let text = try String(contentsOf: Federation.root.appendingPathComponent("Config/policy.json"), encoding: .utf8)
                .replacingOccurrences(of: #""lineOfBusiness": "insurance","#, with: #""lineOfBusiness": "insurance", "endpoint": "10.1.2.3:7402","#)
            try Data(text.utf8).write(to: URL(fileURLWithPath: policy))
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--policy", policy, "--node", node]).status == 0)
            #expect(try AccordBinary.run(["peer", "add", "insurance", "--node", node]).status == 0)
            #expect(try AccordBinary.run(["peer", "list", "--node", node]).stdout.contains("10.1.2.3:7402"))
            #expect(try AccordBinary.run(["policy", "show", "--node", node]).stdout.contains("10.1.2.3:7402"))
        }
    }

    @Test func retentionRunReportsPerClass() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            let result = try AccordBinary.run(["retention", "run", "--json", "--node", node])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["entriesRemoved"] as? Int == 0 && object["entriesRemovedByClass"] as? [String: Int] == [:])
        }
    }
}
