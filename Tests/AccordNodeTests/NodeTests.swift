import AccordImport
import AccordLedger
import AccordModel
import AccordNode
import AccordStore
import Foundation
import Testing

/// A temporary directory removed when the body returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "accord-node-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

let samplePolicy = Array(SamplePolicy.text.utf8)

@Suite("Node")
struct NodeTests {
    @Test func embeddedPolicyIsConfigPolicy() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Config/policy.json"), encoding: .utf8)
        #expect(SamplePolicy.text + "\n" == file, "run ops/embed-sample-policy.sh")
    }

    @Test func initCreatesAPrivateKeyAndRefusesASecondInit() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: samplePolicy)
            #expect(node.unit == UnitID(unchecked: "retail"))
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/retail/keys/signing.pem")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(throws: NodeError(.alreadyInitialized, "")) {
                try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: samplePolicy)
            }
            #expect(throws: NodeError(.invalidPolicy, "")) {
                try Node.initialize(directory: directory + "/other", unit: "marketing", policyText: samplePolicy)
            }
            #expect(throws: NodeError(.notANode, "")) { try Node(directory: directory + "/nothing") }
        }
    }

    @Test func importNormalizesRejectsBadRowsAndIsIdempotent() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: samplePolicy)
            let csv = directory + "/customers.csv"
            try write("""
                id,given_name,family_name,email,phone,birth_date,loyalty_tier
                R-1, Ada ,Lovelace,ADA@Example.COM,0151 2345678,10.12.1985,gold
                R-2,Grace,Hopper,not-an-email,,1906-12-09,silver
                R-3,Alan,Turing,alan@example.org|turing@example.org,+44 20 7946 0958,1912-06-23,
                """, to: csv)
            let report = try node.importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
            #expect(report.rowsRead == 3)
            #expect(report.recordsWritten == 2)
            #expect(report.rowsRejected == 1)
            #expect(report.errors.count == 1)
            #expect(report.errors.first?.line == 3)
            #expect(report.errors.first?.column == "email")
            #expect(report.errors.first?.description.contains("not-an-email") == false)
            #expect(report.unmappedColumns == ["loyalty_tier"])

            let ada = try #require(try node.record(localId: "R-1"))
            let values = Dictionary(uniqueKeysWithValues: ada.attributes.map { ($0.attribute, $0.value) })
            #expect(values["given_name"] == "Ada")
            #expect(values["email"] == "ada@example.com")
            #expect(values["phone"] == "+491512345678")
            #expect(values["birth_date"] == "1985-12-10")
            #expect(try node.record(localId: "R-2") == nil)
            let turing = try #require(try node.record(localId: "R-3"))
            #expect(turing.attributes.first { $0.attribute == "email" }?.value == "alan@example.org|turing@example.org")

            // Re-running writes nothing; a changed value writes only that entry.
            let digest = try node.store.digest()
            let again = try node.importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
            #expect(again.recordsWritten == 0 && again.recordsUnchanged == 2 && again.batchesSealed == 0)
            #expect(try node.store.digest() == digest)
            try write("id,given_name\nR-1,Augusta Ada\n", to: csv)
            let changed = try node.importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
            #expect(changed.recordsWritten == 1 && changed.entriesWritten == 1)
        }
    }

    @Test func importRunsInChunksAndResumesWithoutDuplicates() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: samplePolicy)
            let csv = directory + "/customers.csv"
            var text = "customer_no,mail,given_name\n"
            for index in 0..<500 { text += "C\(index),user\(index)@example.com,Name\(index)\n" }
            try write(text, to: csv)
            // Simulate an interrupted import: the first 200 rows were imported before.
            try write(text.split(separator: "\n").prefix(201).joined(separator: "\n") + "\n", to: directory + "/part.csv")
            let mapping = try ImportMapping.parse("id=customer_no,email=mail")
            _ = try node.importRecords(from: directory + "/part.csv", options: ImportOptions(format: .csv, mapping: mapping, chunkSize: 64))
            let report = try node.importRecords(from: csv, options: ImportOptions(format: .csv, mapping: mapping, chunkSize: 64))
            #expect(report.recordsUnchanged == 200)
            #expect(report.recordsWritten == 300)
            let status = try node.status()
            #expect(status.counts.records == 500)
            #expect(status.counts.leaves == 1000)  // one leaf per record and class (identity, contact)
        }
    }

    @Test func importOfJSONLines() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/retail", unit: "retail", policyText: samplePolicy)
            let path = directory + "/customers.jsonl"
            try write("""
                {"id": "J-1", "given_name": "Zoë", "email": ["z@example.com", "Z@EXAMPLE.com"], "segment": "premium"}
                {"id": "J-2", "given_name": "Øyvind", "phone": null}
                """, to: path)
            let report = try node.importRecords(from: path, options: ImportOptions(format: .jsonl, mapping: ImportMapping()))
            #expect(report.recordsWritten == 2 && report.rowsRejected == 0)
            let zoe = try #require(try node.record(localId: "J-1"))
            #expect(zoe.attributes.first { $0.attribute == "email" }?.value == "z@example.com")
            #expect(zoe.attributes.first { $0.attribute == "segment" }?.value == "premium")
        }
    }

    @Test func aUnitCannotImportAnAttributeItMayNotAuthor() throws {
        try withTemporaryDirectory { directory in
            let node = try Node.initialize(directory: directory + "/webshop", unit: "webshop", policyText: samplePolicy)
            let csv = directory + "/customers.csv"
            try write("id,given_name,iban\nW-1,Ada,DE89370400440532013000\n", to: csv)
            let error = #expect(throws: NodeError.self) {
                try node.importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
            }
            #expect(error?.code == .notAllowed)
            #expect(error?.message.contains("iban") == true)
            #expect(try node.status().counts.records == 0)
            #expect(throws: NodeError(.notAllowed, "")) { try node.write(localId: "W-1", values: ["iban": .text("DE89370400440532013000")]) }
        }
    }

    @Test func reopenedNodeContinuesItsStreams() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/retail"
            let first = try Node.initialize(directory: path, unit: "retail", policyText: samplePolicy)
            try first.write(localId: "1", values: ["given_name": .text("Ada")])
            let before = try first.store.streamHeads()
            let reopened = try Node(directory: path)
            try reopened.write(localId: "1", values: ["given_name": .text("Ada L.")])
            let after = try reopened.store.streamHeads()
            #expect(before.map(\.sequence) == [1])
            #expect(after.map(\.sequence) == [2])
            let status = try reopened.status()
            #expect(status.unit == "retail" && status.policyVersion == 1 && status.counts.batches == 2)
        }
    }
}
