/// One attribute of the federation's field catalog.
public struct AttributeDefinition: Sendable, Equatable {
    /// The attribute name, such as `email`.
    public let name: String
    /// The value type.
    public let type: AttributeType
    /// Whether the attribute holds a set of values (one register holds the whole set).
    public let multiValued: Bool
    /// The share class the attribute belongs to.
    public let shareClass: String
    /// How personal the attribute is.
    public let pii: PIIClass
    /// Maximum length of one value, in characters (1...10000, default 256).
    public let maxLength: Int
    /// The allowed values; set exactly when `type` is `.enumeration`.
    public let allowedValues: [String]?
    /// A regular expression (NSRegularExpression syntax) every value must match, if any.
    public let pattern: String?
    /// The units that may author this attribute; `nil` means every unit with role `unit`.
    public let authors: Set<String>?
    /// Whether every record must carry this attribute.
    public let required: Bool
    /// The consent model's purposes this attribute is collected for (data minimization); `nil` when
    /// the catalog does not say, empty when it is kept for no purpose. The inventory reports an
    /// attribute a unit holds whose purposes are `nil` or empty.
    public let purposes: Set<String>?

    /// The default `maxLength`.
    public static let defaultMaxLength = 256
    /// The allowed range of `maxLength`.
    public static let maxLengthRange = 1...10_000

    /// Creates an attribute definition (no validation; `Policy.parse` validates).
    /// - Parameters:
    ///   - name: attribute name.
    ///   - type: value type.
    ///   - multiValued: whether it holds a set of values.
    ///   - shareClass: its share class.
    ///   - pii: how personal it is.
    ///   - maxLength: maximum value length.
    ///   - allowedValues: allowed values for `.enumeration`.
    ///   - pattern: regular expression values must match.
    ///   - authors: units allowed to author it (`nil`: every unit with role `unit`).
    ///   - required: whether every record must carry it.
    ///   - purposes: the consent purposes it is collected for (`nil`: not declared).
    public init(
        name: String, type: AttributeType, multiValued: Bool = false, shareClass: String, pii: PIIClass,
        maxLength: Int = AttributeDefinition.defaultMaxLength, allowedValues: [String]? = nil,
        pattern: String? = nil, authors: Set<String>? = nil, required: Bool = false,
        purposes: Set<String>? = nil
    ) {
        self.purposes = purposes
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.shareClass = shareClass
        self.pii = pii
        self.maxLength = maxLength
        self.allowedValues = allowedValues
        self.pattern = pattern
        self.authors = authors
        self.required = required
    }
}
