/// Damerau-Levenshtein edit distance: the fewest insertions, deletions, substitutions and
/// transpositions of two adjacent characters turning one string into the other, compared by
/// Unicode scalar.
///
/// This is the unrestricted distance (Lowrance-Wagner): a transposed pair may be edited again,
/// so `distance("ca", "abc") == 2` (the restricted "optimal string alignment" variant gives 3).
public enum DamerauLevenshtein {
    /// The edit distance between `a` and `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value))
    }

    /// The edit distance between two element sequences.
    static func distance<T: Hashable>(_ a: [T], _ b: [T]) -> Int {
        let n = a.count, m = b.count
        if n == 0 { return m }
        if m == 0 { return n }
        let infinity = n + m
        // d is (n + 2) x (m + 2), row-major; row/column 0 hold `infinity`, 1 the empty prefix.
        let width = m + 2
        var d = [Int](repeating: 0, count: (n + 2) * width)
        d[0] = infinity
        for i in 0...n {
            d[(i + 1) * width] = infinity
            d[(i + 1) * width + 1] = i
        }
        for j in 0...m {
            d[j + 1] = infinity
            d[width + j + 1] = j
        }
        var lastRow: [T: Int] = [:]
        for i in 1...n {
            var lastMatchColumn = 0
            for j in 1...m {
                let i1 = lastRow[b[j - 1]] ?? 0
                let j1 = lastMatchColumn
                let cost: Int
                if a[i - 1] == b[j - 1] {
                    cost = 0
                    lastMatchColumn = j
                } else {
                    cost = 1
                }
                let substitution = d[i * width + j] + cost
                let insertion = d[(i + 1) * width + j] + 1
                let deletion = d[i * width + j + 1] + 1
                let transposition = d[i1 * width + j1] + (i - i1 - 1) + 1 + (j - j1 - 1)
                d[(i + 1) * width + j + 1] = min(substitution, insertion, deletion, transposition)
            }
            lastRow[a[i - 1]] = i
        }
        return d[(n + 1) * width + m + 1]
    }

    /// Whether two sequences are at most one edit apart (one insertion, deletion, substitution
    /// or adjacent transposition): the fast check the matcher uses on dates and phone numbers.
    static func withinOneEdit<T: Equatable>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Bool {
        let n = a.count, m = b.count
        if n == m {
            var first = -1
            for i in 0..<n where a[i] != b[i] {
                if first < 0 {
                    first = i
                } else {
                    // A second difference: only an adjacent transposition of the first one is allowed.
                    guard i == first + 1, a[first] == b[i], a[i] == b[first] else { return false }
                    for k in (i + 1)..<n where a[k] != b[k] { return false }
                    return true
                }
            }
            return true
        }
        guard abs(n - m) == 1 else { return false }
        let (short, long) = n < m ? (a, b) : (b, a)
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        while i < short.count {
            guard short[i] == long[i + 1] else { return false }
            i += 1
        }
        return true
    }
}
