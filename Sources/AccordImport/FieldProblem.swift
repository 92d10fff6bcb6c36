/// Why a single value failed normalization or validation. The reason never contains the value.
public struct FieldProblem: Error, Sendable, Equatable {
    /// What was wrong, e.g. `not an email address`.
    public let reason: String

    /// Creates a problem.
    /// - Parameter reason: what was wrong; must not contain the value.
    public init(reason: String) {
        self.reason = reason
    }
}
