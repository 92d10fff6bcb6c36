import Foundation

extension Policy {
    /// The policy in canonical JSON: keys sorted, no whitespace, every default
    /// written out, sets as sorted arrays; units, share classes and attributes
    /// in policy order. Deterministic, and `Policy.parse(canonicalJSON())` equals
    /// this policy, so it is the form that gets hashed and signed.
    /// Reserved top-level sections (ignored by this version) and the signature are not included.
    /// Sections that hold nothing (no retention, no legal holds, no propagation rules, no endpoint) are left out.
    public func canonicalJSON() -> [UInt8] {
        CanonicalJSONWriter.write(jsonValue)
    }

    /// The signed document: the canonical JSON with a `signature` section added.
    /// - Parameter signature: the governance signature over ``canonicalJSON()``.
    public func signedDocument(_ signature: PolicySignature) -> [UInt8] {
        guard case .object(var members) = jsonValue else { return canonicalJSON() }
        members.append(("signature", .object([
            ("algorithm", .string("ed25519")),
            ("signer", .string(signature.signer)),
            ("value", .string(Data(signature.value).base64EncodedString())),
        ])))
        return CanonicalJSONWriter.write(.object(members))
    }

    /// The policy as a JSON tree in the `accord-policy/1` format.
    var jsonValue: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("format", .string(PolicyParser.format)),
            ("federation", .string(federation)),
            ("version", .number(String(version))),
            ("defaults", .object([("country", .string(defaults.country)), ("dateOrder", .string(defaults.dateOrder.rawValue))])),
            ("clock", .object([("maxFutureMillis", .number(String(clock.maxFutureMillis)))])),
            ("units", .array(units.map(Policy.json(unit:)))),
            ("shareClasses", .array(shareClasses.map(Policy.json(shareClass:)))),
            ("attributes", .array(attributes.map(Policy.json(attribute:)))),
            ("writeRules", .array(writeRules.map(Policy.json(writeRule:)))),
        ]
        if let consent { members.append(("consent", Policy.json(consent: consent))) }
        if let interactions { members.append(("interactions", Policy.json(interactions: interactions))) }
        if let erasure {
            members.append(("erasure", .object([("requesters", Policy.strings(erasure.requesters.sorted())),
                                                ("shareClass", .string(erasure.shareClass))])))
        }
        if !retention.isEmpty {
            let days: [(key: String, value: JSONValue)] = retention.sorted { $0.key < $1.key }.map { (key: $0.key, value: .number(String($0.value))) }
            members.append(("retention", .object(days)))
        }
        if !legalHolds.isEmpty { members.append(("legalHolds", .array(legalHolds.map(Policy.json(legalHold:))))) }
        if let identityResolution { members.append(("identityResolution", Policy.json(identityResolution: identityResolution))) }
        if let survivorship { members.append(("survivorship", Policy.json(survivorship: survivorship))) }
        if let lifecycle { members.append(("lifecycle", Policy.json(lifecycle: lifecycle))) }
        if let reporting { members.append(("reporting", .object([("freshnessHours", .number(String(reporting.freshnessHours)))]))) }
        return .object(members)
    }

    /// Sections added after the first signed policies appear only when they hold something, so
    /// documents signed before they existed keep their canonical form (and their signatures).
    private static func json(legalHold: LegalHold) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("id", .string(legalHold.id)), ("reason", .string(legalHold.reason))]
        if !legalHold.reference.isEmpty { members.append(("reference", .string(legalHold.reference))) }
        if let classes = legalHold.classes { members.append(("classes", strings(classes.sorted()))) }
        if let records = legalHold.records { members.append(("records", strings(records.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }))) }
        return .object(members)
    }

    private static func json(unit: UnitDefinition) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(unit.id)),
            ("name", .string(unit.name)),
            ("roles", strings(unit.roles.map(\.rawValue).sorted())),
        ]
        if let lineOfBusiness = unit.lineOfBusiness { members.append(("lineOfBusiness", .string(lineOfBusiness))) }
        if let country = unit.country { members.append(("country", .string(country))) }
        if let key = unit.signingKey { members.append(("signingKey", .string(Data(key).base64EncodedString()))) }
        if !unit.previousSigningKeys.isEmpty {
            members.append(("previousSigningKeys", .array(unit.previousSigningKeys.map { retired in
                .object([("key", .string(Data(retired.key).base64EncodedString())),
                         ("throughPolicyVersion", .number(String(retired.throughPolicyVersion)))])
            })))
        }
        if let endpoint = unit.endpoint { members.append(("endpoint", .string(endpoint))) }
        // certificateIdentity is always accord://unit/<id> in this format, so it is not written.
        return .object(members)
    }

    private static func json(shareClass: ShareClassDefinition) -> JSONValue {
        let audience: JSONValue
        switch shareClass.audience {
        case .all: audience = .string("all")
        case .units(let ids): audience = strings(ids.sorted())
        }
        return .object([
            ("name", .string(shareClass.name)),
            ("description", .string(shareClass.description)),
            ("audience", audience),
        ])
    }

    private static func json(attribute: AttributeDefinition) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(attribute.name)),
            ("type", .string(attribute.type.rawValue)),
            ("multiValued", .bool(attribute.multiValued)),
            ("shareClass", .string(attribute.shareClass)),
            ("pii", .string(attribute.pii.rawValue)),
            ("maxLength", .number(String(attribute.maxLength))),
            ("required", .bool(attribute.required)),
        ]
        if let allowedValues = attribute.allowedValues { members.append(("allowedValues", strings(allowedValues))) }
        if let pattern = attribute.pattern { members.append(("pattern", .string(pattern))) }
        if let authors = attribute.authors { members.append(("authors", strings(authors.sorted()))) }
        // Only when declared, so policies signed before the field existed keep their canonical form.
        if let purposes = attribute.purposes { members.append(("purposes", strings(purposes.sorted()))) }
        return .object(members)
    }

    private static func json(consent: ConsentModel) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("channels", strings(consent.channels.sorted())),
            ("purposes", strings(consent.purposes.sorted())),
            ("shareClass", .string(consent.shareClass)),
        ]
        if !consent.propagation.isEmpty {
            members.append(("propagation", .array(consent.propagation.map { rule in
                var fields: [(key: String, value: JSONValue)] = [
                    ("channel", .string(rule.channel)), ("purpose", .string(rule.purpose)),
                    ("from", .string(rule.from.rawValue)), ("to", .string(rule.to.rawValue)),
                ]
                if let units = rule.units { fields.append(("units", strings(units.sorted()))) }
                return .object(fields)
            })))
        }
        return .object(members)
    }

    private static func json(interactions: InteractionModel) -> JSONValue {
        .object([
            ("retentionDays", .object(interactions.retentionDays.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) })),
            ("shareClass", .string(interactions.shareClass)),
        ])
    }

    private static func json(writeRule: WriteRule) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("writer", .string(writeRule.writer)),
            ("attributes", strings(writeRule.attributes.sorted())),
        ]
        if let owners = writeRule.owners { members.append(("owners", strings(owners.sorted()))) }
        return .object(members)
    }

    private static func strings(_ values: [String]) -> JSONValue {
        .array(values.map { .string($0) })
    }
}
