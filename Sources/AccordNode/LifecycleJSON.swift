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

    /// ``object(_:)`` as compact JSON with sorted keys, written directly (a profile read over the API
    /// appends it to the stored document; `JSONSerialization` was a tenth of that read's CPU).
    public static func bytes(_ assignment: LifecycleAssignment) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func member(_ key: String, _ text: String) {
            if out.last != UInt8(ascii: "{") { out.append(UInt8(ascii: ",")) }
            ProfileDocument.quote(key, into: &out)
            out.append(UInt8(ascii: ":"))
            ProfileDocument.quote(text, into: &out)
        }
        func object(_ members: [(String, String)]) {
            out.append(UInt8(ascii: "{"))
            for (key, text) in members.sorted(by: { $0.0 < $1.0 }) { member(key, text) }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "{"))
        member("asOf", iso(assignment.asOfMillis))
        if let event = assignment.interaction {
            out += Array(#","decidedBy":"#.utf8)
            object([("kind", "interaction"), ("record", event.record), ("author", event.author), ("entry", event.attribute),
                    ("type", event.type), ("channel", event.channel), ("at", iso(event.atMillis))])
        } else if let attribute = assignment.attribute {
            out += Array(#","decidedBy":"#.utf8)
            object([("kind", "attribute"), ("attribute", attribute), ("source", assignment.attributeSource ?? "")])
        }
        if let rule = assignment.rule, let index = assignment.ruleIndex {
            member("rule", rule)
            out += Array(#","ruleIndex":\#(index)"#.utf8)
        }
        if let stage = assignment.stage { member("stage", stage) } else { out += Array(#","stage":null"#.utf8) }
        out.append(UInt8(ascii: "}"))
        return out
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

    /// Computed by hand (``ConsentEvaluation/time(_:)``): a formatter made per call was a fifth of the
    /// CPU of a profile read over the API.
    private static func iso(_ millis: Int64) -> String { ConsentEvaluation.time(millis) }
}
