public import AccordSegments
import Foundation

/// A lifecycle assignment as JSON (for `accord profile show --json` and the API) and as a line of text.
public enum LifecycleJSON {
    /// `{"stage","rule","ruleIndex","asOf","decidedBy"}`; `decidedBy` names the interaction entry
    /// (record, author, register, when) or the golden value (attribute, source) that made the rule hold.
    public static func object(_ assignment: LifecycleAssignment) -> [String: Any] {
        var object: [String: Any] = ["stage": assignment.stage.map { $0 as Any } ?? NSNull(), "asOf": iso(assignment.asOfMillis)]
        if let rule = assignment.rule, let index = assignment.ruleIndex {
            object["rule"] = rule
            object["ruleIndex"] = index
        }
        if let event = assignment.interaction {
            object["decidedBy"] = ["kind": "interaction", "record": event.record, "author": event.author, "entry": event.attribute,
                                   "type": event.type, "channel": event.channel, "at": iso(event.atMillis)]
        } else if let attribute = assignment.attribute {
            object["decidedBy"] = ["kind": "attribute", "attribute": attribute, "source": assignment.attributeSource ?? ""]
        }
        return object
    }

    /// `Lifecycle: active (stage rule 0: purchase interaction within 365 days; decided by interaction:… on retail/C-1 by retail at …)`.
    public static func line(_ assignment: LifecycleAssignment) -> String {
        guard let stage = assignment.stage, let index = assignment.ruleIndex, let rule = assignment.rule else {
            return "Lifecycle: no stage (no stage rule holds)"
        }
        var text = "Lifecycle: \(stage) (stage rule \(index): \(rule)"
        if let event = assignment.interaction {
            text += "; decided by \(event.attribute) on \(event.record) by \(event.author) at \(iso(event.atMillis))"
        } else if let attribute = assignment.attribute {
            text += "; decided by \(attribute) from \(assignment.attributeSource ?? "?")"
        }
        return text + ")"
    }

    private static func iso(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
