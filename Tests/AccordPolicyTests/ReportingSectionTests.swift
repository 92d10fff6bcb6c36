import Foundation
import Testing

import AccordPolicy

/// The optional `reporting` section: the dashboard's freshness threshold.
@Suite("Policy: reporting thresholds")
struct ReportingSectionTests {
    func document(_ section: String) -> String {
        var text = basePolicy
        text.removeLast()
        return text + (section.isEmpty ? "}" : ", " + section + "}")
    }

    @Test func freshnessDefaultsAndIsCanonicalOnlyWhenPresent() throws {
        let plain = try Policy.parse(Array(document("").utf8))
        #expect(plain.reporting == nil && plain.freshnessHours == ReportingPolicy.defaultFreshnessHours)
        #expect(!String(decoding: plain.canonicalJSON(), as: UTF8.self).contains("reporting"))
        let set = try Policy.parse(Array(document(#""reporting": {"freshnessHours": 6}"#).utf8))
        #expect(set.freshnessHours == 6 && set.reporting == ReportingPolicy(freshnessHours: 6))
        let canonical = set.canonicalJSON()
        #expect(String(decoding: canonical, as: UTF8.self).contains(#""reporting":{"freshnessHours":6}"#))
        #expect(try Policy.parse(canonical) == set)
        #expect(set != plain)
        let empty = try Policy.parse(Array(document(#""reporting": {}"#).utf8))
        #expect(empty.freshnessHours == 24)
    }

    @Test(arguments: [
        (#""reporting": {"freshnessHours": 0}"#, "$.reporting.freshnessHours"),
        (#""reporting": {"freshnessHours": "6"}"#, "$.reporting.freshnessHours"),
        (#""reporting": {"staleAfter": 6}"#, "$.reporting.staleAfter"),
        (#""reporting": 6"#, "$.reporting"),
    ])
    func malformedReportingIsRefusedWithItsPath(section: String, path: String) throws {
        let error = try #require(throws: PolicyError.self) { try Policy.parse(Array(document(section).utf8), source: "policy.json") }
        #expect(error.path == path, "\(error)")
    }
}
