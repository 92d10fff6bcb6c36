/// What one change did to the profiles.
public struct ResolutionDelta: Sendable, Equatable {
    /// Profiles that no longer exist (merged into another, or their anchor left), by id.
    public var removed: [ProfileID]
    /// Profiles that are new or whose records changed, by id.
    public var changed: [Profile]

    /// Creates a delta.
    public init(removed: [ProfileID] = [], changed: [Profile] = []) {
        self.removed = removed
        self.changed = changed
    }

    /// Whether nothing changed.
    public var isEmpty: Bool { removed.isEmpty && changed.isEmpty }
}
