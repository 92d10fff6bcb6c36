public import AccordLedger
public import AccordModel
public import AccordPolicy
import AccordCrypto
public import AccordImport

/// Decides, before anything is applied, whether a batch received from a peer may be applied on
/// this node: its author is a member whose key signed it; this node is in the audience of its share
/// class; it was written under a policy this node knows; and every entry in it is one its author
/// may write (its own records' attributes, or what a write rule allows on others'), of the right
/// class and shape, valid by the catalog, and not from too far in the future.
///
/// The answer is a value, not an error: a refusal's reason is what the node records and shows.
public struct BatchAdmission: Sendable {
    /// A batch that passed every check, with its leaves decoded (`nil` for redacted leaves), so the
    /// store does not decode them again.
    public struct Admitted: Sendable {
        /// The verified batch.
        public let batch: VerifiedBatch
        /// Each leaf's record write, in leaf order; `nil` for a redacted leaf.
        public let writes: [RecordWrite?]
    }

    /// The decision on one batch.
    public enum Verdict: Sendable {
        /// The batch may be applied.
        case admit(Admitted)
        /// The batch must not be applied, for this reason.
        case refuse(String)

        /// The reason for a refusal, `nil` for an admission.
        public var refusal: String? {
            if case .refuse(let reason) = self { return reason }
            return nil
        }
    }

    /// The policy the node holds.
    public let policy: Policy
    /// The unit of the receiving node.
    public let receiver: UnitID
    private let validators: [String: FieldValidator]

    /// Creates the check for a node.
    /// - Parameters:
    ///   - policy: the policy the node holds.
    ///   - receiver: the node's unit.
    ///   - settings: normalization settings (values must already be in normalized form).
    public init(policy: Policy, receiver: UnitID, settings: NormalizationSettings) {
        self.policy = policy
        self.receiver = receiver
        var validators: [String: FieldValidator] = [:]
        for attribute in policy.attributes {
            guard let type = FieldType(rawValue: attribute.type.rawValue) else { continue }
            let rule = FieldRule(
                name: attribute.name, type: type, multiValued: false, maxLength: attribute.maxLength,
                allowedValues: attribute.allowedValues.map(Set.init), pattern: attribute.pattern, required: false)
            // The policy parser checked every pattern, so preparing a rule does not fail.
            validators[attribute.name] = try? FieldValidator(rule: rule, settings: settings)
        }
        self.validators = validators
    }

    /// Checks a batch.
    /// - Parameters:
    ///   - batch: the batch as received (decoded, not verified).
    ///   - now: the wall clock, milliseconds since 1970.
    /// - Returns: `.admit` with the verified batch, or `.refuse` with the reason.
    public func check(_ batch: Batch, now: UInt64) -> Verdict {
        let header = batch.header
        let author = header.stream.author.rawValue
        let name = "batch \(batch.describe)"
        guard let member = policy.unit(author) else {
            return .refuse("\(name): author \"\(author)\" is not a member of federation \(policy.federation) (policy v\(policy.version))")
        }
        guard let rawKey = member.signingKey(forPolicyVersion: header.policyVersion),
              let key = try? Ed25519PublicKey(rawRepresentation: rawKey) else {
            return .refuse("\(name): policy v\(policy.version) holds no signing key for \"\(author)\"")
        }
        let verified: VerifiedBatch
        do {
            verified = try batch.verified(with: key)
        } catch {
            return .refuse("\(name): \(error)")
        }
        guard policy.shareClass(header.stream.shareClass) != nil else {
            return .refuse("\(name): share class \"\(header.stream.shareClass)\" is not in policy v\(policy.version)")
        }
        guard policy.mayReceive(unit: receiver.rawValue, shareClass: header.stream.shareClass) else {
            return .refuse("\(name): unit \"\(receiver)\" is not in the audience of class \"\(header.stream.shareClass)\" (policy v\(policy.version))")
        }
        guard header.policyVersion <= UInt64(policy.version) else {
            return .refuse("\(name): written under policy v\(header.policyVersion), this node holds v\(policy.version)")
        }
        var writes: [RecordWrite?] = []
        writes.reserveCapacity(batch.leaves.count)
        // The rules of an (owner, attribute) pair hold for the whole batch (one author, one
        // class): decided once, at its first entry.
        var rules = AttributeRules()
        for (index, leaf) in batch.leaves.enumerated() {
            let write: RecordWrite?
            do {
                write = try leaf.recordWrite()
            } catch {
                return .refuse("\(name): leaf \(index) does not decode: \(error)")
            }
            writes.append(write)
            guard let write else { continue }  // redacted: nothing to check
            if let reason = check(write, author: author, shareClass: header.stream.shareClass, now: now, rules: &rules) {
                return .refuse("\(name): leaf \(index) (record \(write.record)): \(reason)")
            }
        }
        return .admit(Admitted(batch: verified, writes: writes))
    }

    /// Checks a consent entry: the policy has a consent model, the channel and purpose are in it,
    /// the entry is in the consent class, written by a business unit on its own record, and holds
    /// a decision collected by its author.
    private func checkConsent(_ topic: ConsentTopic, _ value: Value?, author: String, owner: String, shareClass: String) -> String? {
        guard let model = policy.consent else { return "policy v\(policy.version) has no consent model" }
        guard shareClass == model.shareClass else { return "consent belongs to class \"\(model.shareClass)\", not \"\(shareClass)\"" }
        let everything = ConsentModel.everything
        guard topic.channel == everything || model.channels.contains(topic.channel) else { return "unknown consent channel \"\(topic.channel)\"" }
        guard topic.purpose == everything || model.purposes.contains(topic.purpose) else { return "unknown consent purpose \"\(topic.purpose)\"" }
        guard author == owner, policy.unit(author)?.has(.unit) == true else {
            return "unit \"\(author)\" may not record consent on records of \"\(owner)\""
        }
        guard case .consent(let decision)? = value else { return "a consent entry must hold a consent decision" }
        guard decision.collectedBy.rawValue == author else { return "a consent decision must be collected by its author" }
        return nil
    }

    /// Checks an interaction event: the policy has an interaction model with the event's type, the
    /// entry is in its class, written by a business unit on its own record. (An event past its
    /// retention is not a fault of the batch: ``EntryScreen`` keeps it from being applied.)
    private func checkInteraction(_ value: Value?, author: String, owner: String, shareClass: String) -> String? {
        guard let model = policy.interactions else { return "policy v\(policy.version) has no interaction model" }
        guard shareClass == model.shareClass else { return "interactions belong to class \"\(model.shareClass)\", not \"\(shareClass)\"" }
        guard author == owner, policy.unit(author)?.has(.unit) == true else {
            return "unit \"\(author)\" may not record interactions on records of \"\(owner)\""
        }
        guard case .interaction(let event)? = value else { return "an interaction entry must hold an interaction event" }
        guard model.retentionDays[event.type] != nil else { return "unknown interaction type \"\(event.type)\"" }
        return nil
    }

    /// Checks an erasure entry: the policy has an erasure model, the entry is in its class, on an
    /// erasure record `erasure:<id>`; a request is written by a requester on its own erasure record,
    /// an acknowledgement by any member on the requester's; neither is ever deleted.
    private func checkErasure(_ attribute: AttributeName, _ value: Value?, write: RecordWrite, author: String, shareClass: String) -> String? {
        guard let model = policy.erasure else { return "policy v\(policy.version) has no erasure section" }
        guard shareClass == model.shareClass else { return "erasure entries belong to class \"\(model.shareClass)\", not \"\(shareClass)\"" }
        guard ErasureRequest.requestID(ofLocalId: write.record.localId) != nil else { return "erasure entries belong on erasure:<id> records" }
        guard policy.isMember(write.record.unit.rawValue) else { return "requester \"\(write.record.unit)\" is not a member" }
        switch attribute {
        case ErasureRequest.attribute:
            guard author == write.record.unit.rawValue else { return "unit \"\(author)\" may not write a request on \(write.record.unit)'s erasure record" }
            if case .denied(let reason) = policy.mayRequestErasure(unit: author) { return reason }
            guard case .erasureRequest? = value else { return "an erasure request entry must hold an erasure request" }
        case ErasureAcknowledgement.attribute:
            guard case .erasureAcknowledgement? = value else { return "an acknowledgement entry must hold an acknowledgement" }
        default:
            return "unknown erasure attribute \"\(attribute)\""
        }
        return nil
    }

    /// What the policy says about one attribute of one owner's records, for one batch's author
    /// and class: refused with a reason, or allowed with its definition and validator.
    enum AttributeRule {
        case refused(String)
        case allowed(AttributeDefinition, FieldValidator?)
    }

    /// The decisions of one batch, by owner and attribute (the author and class are the batch's).
    struct AttributeRules {
        /// Decisions on the author's own records, by attribute.
        var own: [AttributeName: AttributeRule] = [:]
        /// Decisions on other owners' records, by owner and attribute.
        var others: [UnitID: [AttributeName: AttributeRule]] = [:]
    }

    /// The policy's decision on an ordinary (catalog) attribute: defined, of this class, writable
    /// by the author on the owner's records.
    private func rule(_ name: AttributeName, author: String, owner: String, shareClass: String) -> AttributeRule {
        let attribute = name.rawValue
        guard let definition = policy.attribute(attribute) else {
            return .refused("attribute \"\(attribute)\" is not in the catalog of policy v\(policy.version)")
        }
        guard definition.shareClass == shareClass else {
            return .refused("attribute \"\(attribute)\" belongs to class \"\(definition.shareClass)\", not \"\(shareClass)\"")
        }
        if case .denied(let reason) = policy.mayWrite(writer: author, owner: owner, attribute: attribute) { return .refused(reason) }
        return .allowed(definition, validators[attribute])
    }

    /// Checks one record write; returns the reason it is refused, or `nil`.
    private func check(_ write: RecordWrite, author: String, shareClass: String, now: UInt64, rules: inout AttributeRules) -> String? {
        let bound = UInt64(max(0, policy.clock.maxFutureMillis))
        guard write.hlc.physicalMillis <= now &+ bound else {
            return "written \(write.hlc.physicalMillis - now) ms in the future, over the bound of \(bound) ms"
        }
        let owner = write.record.unit.rawValue
        let own = owner == author
        for change in write.changes {
            let attribute = change.attribute.rawValue
            // Consent, interaction and erasure entries have rules of their own (checked each time).
            if attribute.utf8.first == UInt8(ascii: "c"), attribute.hasPrefix("consent:"), let topic = ConsentTopic(attribute: change.attribute) {
                if let reason = checkConsent(topic, change.value, author: author, owner: owner, shareClass: shareClass) { return reason }
                continue
            }
            if attribute.utf8.first == UInt8(ascii: "i"), attribute.hasPrefix("interaction:") {
                if let reason = checkInteraction(change.value, author: author, owner: owner, shareClass: shareClass) { return reason }
                continue
            }
            if attribute.utf8.first == UInt8(ascii: "e"), attribute.hasPrefix("erasure:") {
                if let reason = checkErasure(change.attribute, change.value, write: write, author: author, shareClass: shareClass) { return reason }
                continue
            }
            if attribute.hasPrefix(StewardDecisionEntry.localIdPrefix) {
                if let reason = StewardDecisionEntry.refusal(attribute: change.attribute, value: change.value, record: write.record,
                                                             author: author, shareClass: shareClass, policy: policy) { return reason }
                continue
            }
            let decided: AttributeRule
            if own {
                if let known = rules.own[change.attribute] {
                    decided = known
                } else {
                    decided = rule(change.attribute, author: author, owner: owner, shareClass: shareClass)
                    rules.own[change.attribute] = decided
                }
            } else {
                if let known = rules.others[write.record.unit]?[change.attribute] {
                    decided = known
                } else {
                    decided = rule(change.attribute, author: author, owner: owner, shareClass: shareClass)
                    rules.others[write.record.unit, default: [:]][change.attribute] = decided
                }
            }
            guard case .allowed(let definition, let validator) = decided else {
                if case .refused(let reason) = decided { return reason }
                continue
            }
            guard let value = change.value else { continue }
            let texts: [String]
            switch value {
            case .text(let text) where !definition.multiValued: texts = [text]
            case .set(let items) where definition.multiValued && !items.isEmpty: texts = items
            default:
                return "attribute \"\(attribute)\" holds the wrong kind of value (expected \(definition.multiValued ? "a set" : "one value"))"
            }
            guard let validator else { return "attribute \"\(attribute)\" has no validation rule" }
            for text in texts {
                switch validator.normalize(text) {
                case .success(let normalized) where normalized == text: continue
                case .success: return "attribute \"\(attribute)\" holds a value not in normalized form"
                case .failure(let problem): return "attribute \"\(attribute)\": \(problem.reason)"
                }
            }
        }
        return nil
    }
}
