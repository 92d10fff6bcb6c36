public import AccordModel
public import AccordPolicy
public import AccordImport

/// Whether stored values pass the policy catalog's rules, as the data-quality figures and the
/// inventory count them: a value is valid when every text of it normalizes to itself under its
/// attribute's rule (type, length, allowed values, pattern).
public struct CatalogValidity: Sendable {
    private let validators: [String: FieldValidator]

    /// Builds a validator per catalog attribute of a known type.
    public init(policy: Policy, settings: NormalizationSettings) {
        var validators: [String: FieldValidator] = [:]
        for attribute in policy.attributes {
            guard let type = FieldType(rawValue: attribute.type.rawValue) else { continue }
            let rule = FieldRule(name: attribute.name, type: type, multiValued: false, maxLength: attribute.maxLength,
                                 allowedValues: attribute.allowedValues.map(Set.init), pattern: attribute.pattern, required: false)
            validators[attribute.name] = try? FieldValidator(rule: rule, settings: settings)
        }
        self.validators = validators
    }

    /// Whether `value` of `attribute` is valid; `false` for an attribute without a rule or a value
    /// holding no text.
    public func isValid(_ value: Value, of attribute: String) -> Bool {
        let texts: [String]
        switch value {
        case .text(let text): texts = [text]
        case .set(let items): texts = items
        default: texts = []
        }
        guard let validator = validators[attribute], !texts.isEmpty else { return false }
        return texts.allSatisfy { text in if case .success(let normalized) = validator.normalize(text) { normalized == text } else { false } }
    }
}
