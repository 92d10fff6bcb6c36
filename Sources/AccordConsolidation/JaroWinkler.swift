/// Jaro and Jaro-Winkler similarity of two strings, compared by Unicode scalar (so `ü` is one
/// character, not two bytes).
///
/// Jaro: characters match when equal and no further apart than `max(|a|, |b|) / 2 - 1`;
/// `jaro = (m/|a| + m/|b| + (m - t)/m) / 3` with `m` matches and `t` half the matched characters
/// out of order. Jaro-Winkler adds `ℓ · 0.1 · (1 - jaro)` for a common prefix of `ℓ ≤ 4`
/// characters when `jaro > 0.7` (Winkler's boost threshold).
///
/// Both are symmetric by construction: the arguments are put in a canonical order (shorter first,
/// then element-wise smaller) before the greedy matching, so `f(a, b) == f(b, a)` exactly.
public enum JaroWinkler {
    /// The prefix scale `p` (0.1, as Winkler).
    public static let prefixScale = 0.1
    /// The longest prefix rewarded (4 characters).
    public static let maxPrefix = 4
    /// Jaro similarity above which the prefix bonus applies (0.7).
    public static let boostThreshold = 0.7

    /// Jaro-Winkler similarity in `0...1` (1 for equal strings, also for two empty strings).
    public static func similarity(_ a: String, _ b: String) -> Double {
        let x = a.unicodeScalars.map(\.value), y = b.unicodeScalars.map(\.value)
        return x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in similarity(p, q) } }
    }

    /// Jaro similarity in `0...1`, without the prefix bonus.
    public static func jaro(_ a: String, _ b: String) -> Double {
        let x = a.unicodeScalars.map(\.value), y = b.unicodeScalars.map(\.value)
        return x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in jaro(p, q) } }
    }

    /// Jaro-Winkler similarity of two element sequences (bytes of ASCII text, or scalars).
    static func similarity<T: FixedWidthInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Double {
        let j = jaro(a, b)
        guard j > boostThreshold else { return j }
        var prefix = 0
        let limit = min(maxPrefix, a.count, b.count)
        while prefix < limit, a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * prefixScale * (1 - j)
    }

    /// Jaro similarity of two element sequences.
    static func jaro<T: FixedWidthInteger>(_ first: UnsafeBufferPointer<T>, _ second: UnsafeBufferPointer<T>) -> Double {
        if first.isEmpty && second.isEmpty { return 1 }
        if first.isEmpty || second.isEmpty { return 0 }
        let swap = second.count < first.count
            || (second.count == first.count && second.lexicographicallyPrecedes(first))
        let a = swap ? second : first, b = swap ? first : second
        if a.count == b.count && a.elementsEqual(b) { return 1 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags -> Double in
            flags.initialize(repeating: false)
            let matchedA = UnsafeMutableBufferPointer(rebasing: flags[0..<a.count])
            let matchedB = UnsafeMutableBufferPointer(rebasing: flags[a.count...])
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window), high = min(b.count - 1, i + window)
                guard low <= high else { continue }
                for j in low...high where !matchedB[j] && a[i] == b[j] {
                    matchedA[i] = true
                    matchedB[j] = true
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var outOfOrder = 0
            var k = 0
            for i in 0..<a.count where matchedA[i] {
                while !matchedB[k] { k += 1 }
                if a[i] != b[k] { outOfOrder += 1 }
                k += 1
            }
            let m = Double(matches)
            let t = Double(outOfOrder / 2)
            return (m / Double(a.count) + m / Double(b.count) + (m - t) / m) / 3
        }
    }

    /// An upper bound of the Jaro-Winkler similarity of `a` and `b` given `common`, an upper bound
    /// of the characters they have in common: Jaro with `common` matches and no transpositions, plus
    /// the bonus of their actual common prefix. Cheap; lets callers skip the full computation.
    static func upperBound<T: FixedWidthInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, common: Int) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return a.isEmpty && b.isEmpty ? 1 : 0 }
        let m = Double(min(common, a.count, b.count))
        guard m > 0 else { return 0 }
        let j = (m / Double(a.count) + m / Double(b.count) + 1) / 3
        guard j > boostThreshold else { return j }
        var prefix = 0
        let limit = min(maxPrefix, a.count, b.count)
        while prefix < limit, a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * prefixScale * (1 - j)
    }
}
