/// How one attribute is validated and normalized on import.
public struct FieldRule: Sendable {
    /// The attribute name (e.g. `email`); also the default source column name.
    public var name: String
    /// The value type, which selects the normalizer.
    public var type: FieldType
    /// Whether the field holds several values split on ``NormalizationSettings/multiValueSeparator``.
    public var multiValued: Bool
    /// Maximum length of one normalized value, counted in UTF-8 bytes.
    public var maxLength: Int
    /// For `.enumeration`: the canonical allowed spellings (`nil` accepts any text).
    public var allowedValues: Set<String>?
    /// An optional regular expression (ICU syntax) the whole normalized value must match.
    /// ``RowImporter`` compiles it once; ``Normalizer/normalize(_:as:settings:)`` compiles it per call.
    public var pattern: String?
    /// Whether a row without a value for this attribute is rejected.
    public var required: Bool

    /// Creates a rule.
    /// - Parameters:
    ///   - name: attribute name.
    ///   - type: value type.
    ///   - multiValued: split on the multi-value separator (default `false`).
    ///   - maxLength: maximum UTF-8 bytes of one normalized value (default 256).
    ///   - allowedValues: allowed spellings for `.enumeration`.
    ///   - pattern: regular expression for a whole-value match after normalization.
    ///   - required: reject rows without a value (default `false`).
    public init(
        name: String,
        type: FieldType,
        multiValued: Bool = false,
        maxLength: Int = 256,
        allowedValues: Set<String>? = nil,
        pattern: String? = nil,
        required: Bool = false
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.maxLength = maxLength
        self.allowedValues = allowedValues
        self.pattern = pattern
        self.required = required
    }
}
