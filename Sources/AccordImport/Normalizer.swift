/// Normalizes and validates single attribute values.
///
/// All types trim leading and trailing whitespace (ASCII and Unicode spaces such as U+00A0);
/// a value that is empty after trimming is absent. Control characters (other than TAB, LF, CR,
/// which count as whitespace) are rejected. `maxLength` counts UTF-8 bytes of the normalized value.
/// For bulk work use ``RowImporter``, which prepares each rule (and compiles its pattern) once.
public enum Normalizer {
    /// Normalizes one value as `rule` says (ignoring `multiValued`).
    /// - Parameters:
    ///   - raw: the source text.
    ///   - rule: the attribute's rule.
    ///   - settings: default country, date order.
    /// - Returns: the normalized value (`""` when the value is absent), or the problem.
    public static func normalize(_ raw: String, as rule: FieldRule, settings: NormalizationSettings) -> Result<String, FieldProblem> {
        do {
            return try FieldValidator(rule: rule, settings: settings).normalize(raw)
        } catch let problem as FieldProblem {
            return .failure(problem)
        } catch {
            return .failure(FieldProblem(reason: "\(error)"))
        }
    }

    /// Normalizes a whole field, splitting multi-valued rules on the settings' separator.
    /// - Parameters:
    ///   - raw: the source text.
    ///   - rule: the attribute's rule.
    ///   - settings: default country, date order, separator.
    /// - Returns: the value (`nil` when absent), or the problem (for multi-valued fields the
    ///   reason starts with the 1-based part index, e.g. `part 2: not an email address`).
    public static func normalizeField(
        _ raw: String, as rule: FieldRule, settings: NormalizationSettings
    ) -> Result<ImportedValue?, FieldProblem> {
        let compiled: CompiledRule
        do { compiled = try CompiledRule(rule, settings: settings) } catch { return .failure(error) }
        switch compiled.normalizeField(raw) {
        case .absent: return .success(nil)
        case .value(let value): return .success(value)
        case .problem(let reason): return .failure(FieldProblem(reason: reason))
        }
    }
}
