import AccordModel

/// Turns an ``IdentityRecord`` into a ``NormalizedRecord``: every mapped attribute's values through
/// the ``MatchNormalizer``. Stateless apart from its settings, so one preparer serves many threads.
struct RecordPreparer: Sendable {
    let normalizer: MatchNormalizer
    let given: [AttributeName]
    let family: [AttributeName]
    let birth: [AttributeName]
    let email: [AttributeName]
    let phone: [AttributeName]
    let street: [AttributeName]
    let postcode: [AttributeName]
    let city: [AttributeName]

    init(rules: ResolutionRules) {
        normalizer = MatchNormalizer(rules.normalization)
        let map = { (names: [String]) in names.map { AttributeName(unchecked: $0) } }
        given = map(rules.fields.givenName)
        family = map(rules.fields.familyName)
        birth = map(rules.fields.birthDate)
        email = map(rules.fields.email)
        phone = map(rules.fields.phone)
        street = map(rules.fields.street)
        postcode = map(rules.fields.postcode)
        city = map(rules.fields.city)
    }

    func normalize(_ record: IdentityRecord) -> NormalizedRecord {
        var out = NormalizedRecord(key: record.key, created: record.created)
        var scratch: [UInt8] = []
        func each(_ attributes: [AttributeName], _ body: (String) -> Void) {
            for attribute in attributes {
                for value in record.attributes[attribute] ?? [] { body(value) }
            }
        }
        each(given) { normalizer.name($0, family: false, into: &scratch); out.append(.given, scratch) }
        each(family) { normalizer.name($0, family: true, into: &scratch); out.append(.family, scratch) }
        each(birth) { raw in
            if let date = normalizer.date(raw) { out.append(.birth, date.utf8.filter { $0 != UInt8(ascii: "-") }) }
        }
        each(email) { raw in
            guard let address = normalizer.email(raw) else { return }
            out.append(.email, address.utf8)
            out.append(.emailLocal, MatchNormalizer.looseLocalPart(address).utf8)
        }
        each(phone) { raw in if let number = normalizer.phone(raw) { out.append(.phone, number.utf8) } }
        each(street) { raw in if let line = normalizer.street(raw) { out.append(.street, line.utf8) } }
        each(postcode) { raw in if let code = normalizer.postcode(raw) { out.append(.postcode, code.utf8) } }
        each(city) { raw in if let name = normalizer.city(raw) { out.append(.city, name.utf8) } }
        out.finish()
        return out
    }
}
