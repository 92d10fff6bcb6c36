/// One attribute's rule prepared once (pattern compiled, lookups built) for checking many values:
/// what a node uses to check values it receives from peers.
public struct FieldValidator: Sendable {
    private let compiled: CompiledRule

    /// Prepares `rule`.
    /// - Throws: ``FieldProblem`` when the rule's pattern is not a valid regular expression.
    public init(rule: FieldRule, settings: NormalizationSettings) throws {
        compiled = try CompiledRule(rule, settings: settings)
    }

    /// Normalizes one value (ignoring `multiValued`).
    /// - Returns: the normalized value (`""` when the value is absent), or the problem.
    public func normalize(_ raw: String) -> Result<String, FieldProblem> {
        switch compiled.normalizeSingle(raw) {
        case .absent: return .success("")
        case .value(let value): return .success(value)
        case .problem(let reason): return .failure(FieldProblem(reason: reason))
        }
    }
}
