/// Hard rules for pairs that are different people however much else agrees (households, twins,
/// parent and child of the same name).
public struct ConflictRules: Codable, Sendable, Equatable {
    /// Different given names (not equal, not nicknames, not close in spelling, in the better of the
    /// straight and the swapped name order): the pair never links; it is reviewed only if it shares
    /// an e-mail address or phone number. Given names only `similar` (Lena and Lina) without a shared
    /// e-mail address or phone number: the pair is reviewed, never linked automatically.
    public var differentGivenNames: Bool
    /// Different birth dates (not one typo or a day/month swap apart): the pair never links; at most
    /// it is reviewed.
    public var differentBirthDates: Bool

    /// Creates rules.
    public init(differentGivenNames: Bool, differentBirthDates: Bool) {
        self.differentGivenNames = differentGivenNames
        self.differentBirthDates = differentBirthDates
    }

    /// Both on.
    public static let standard = ConflictRules(differentGivenNames: true, differentBirthDates: true)
}
