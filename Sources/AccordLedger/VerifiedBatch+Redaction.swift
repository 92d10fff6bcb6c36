extension VerifiedBatch {
    /// The same verified batch with leaf `index` redacted: its signature covers leaf hashes, which
    /// redaction keeps, so it is still verified.
    public func redacting(leafAt index: Int) -> VerifiedBatch {
        VerifiedBatch(batch.redacting(leafAt: index))
    }
}
