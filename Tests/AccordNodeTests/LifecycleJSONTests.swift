import AccordNode
@testable import AccordSegments
import Foundation
import Testing

/// The lifecycle member written directly as bytes is the same JSON as the object form.
@Suite("Lifecycle JSON")
struct LifecycleJSONTests {
    private func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test func theDirectBytesParseToTheObjectForEveryKindOfDecision() throws {
        let event = FactInteraction(type: "purchase", channel: "store", atMillis: 1_796_425_992_179, record: "retail/R-1", author: "retail",
                                    attribute: "interaction:\"x\"\\y")
        let assignments = [
            LifecycleAssignment(stage: "active", ruleIndex: 0, rule: "purchase within 365 days", interaction: event, attribute: nil,
                                attributeSource: nil, asOfMillis: 1_796_500_000_000),
            LifecycleAssignment(stage: "prospect", ruleIndex: 2, rule: "has email", interaction: nil, attribute: "email",
                                attributeSource: "retail/R-1 by retail", asOfMillis: 0),
            LifecycleAssignment(stage: nil, ruleIndex: nil, rule: nil, interaction: nil, attribute: nil, attributeSource: nil,
                                asOfMillis: -1),
        ]
        for assignment in assignments {
            let bytes = LifecycleJSON.bytes(assignment)
            let expected = try parsed(Array(try JSONSerialization.data(withJSONObject: LifecycleJSON.object(assignment))))
            #expect(try parsed(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
        }
        let first = String(decoding: LifecycleJSON.bytes(assignments[0]), as: UTF8.self)
        #expect(first.hasPrefix(#"{"asOf":"2026-12-05T"#) && first.contains(#""at":"2026-12-04T"#))
        #expect(String(decoding: LifecycleJSON.bytes(assignments[2]), as: UTF8.self) == #"{"asOf":"1969-12-31T23:59:59Z","stage":null}"#)
    }
}
