import AccordImport
import AccordSampleData
import Foundation
import Testing

@Suite struct SampleDataTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).csv").path
    }

    @Test func generatorIsDeterministic() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
    }

    @Test func sameSeedSameRecordsDifferentSeedDifferent() {
        let one = SamplePopulation(persons: 2000, seed: 42)
        let two = SamplePopulation(persons: 2000, seed: 42)
        let other = SamplePopulation(persons: 2000, seed: 43)
        let r1 = Array(one.records(unit: "retail", coverage: 0.5, noise: 0.2))
        let r2 = Array(two.records(unit: "retail", coverage: 0.5, noise: 0.2))
        let r3 = Array(other.records(unit: "retail", coverage: 0.5, noise: 0.2))
        #expect(r1.map(\.values) == r2.map(\.values))
        #expect(r1.map(\.localId) == r2.map(\.localId))
        #expect(r1.map(\.values) != r3.map(\.values))
        #expect(one.person(123) == two.person(123))
        #expect(one.person(123) != other.person(123))
        #expect(r1.count > 850 && r1.count < 1150)
    }

    @Test func unitsOverlapWithDistinctLocalIds() {
        let population = SamplePopulation(persons: 3000, seed: 1)
        let retail = Array(population.records(unit: "retail", coverage: 0.6, noise: 0))
        let bank = Array(population.records(unit: "bank", coverage: 0.6, noise: 0))
        let shared = Set(retail.map(\.personId)).intersection(bank.map(\.personId))
        #expect(shared.count > 800)
        #expect(Set(retail.map(\.localId)).count == retail.count)
        #expect(retail[0].localId.hasPrefix("R-"))
        #expect(bank[0].localId.hasPrefix("B-"))
        let byPerson = Dictionary(uniqueKeysWithValues: bank.map { ($0.personId, $0.localId) })
        #expect(retail.contains { byPerson[$0.personId] != nil && byPerson[$0.personId] != $0.localId })
        #expect(retail[0].fields["given_name"] == population.person(retail[0].personId).givenName)
    }

    @Test func personsLookRealAndIncludeHouseholdsAndTwins() {
        let population = SamplePopulation(persons: 20000, seed: 9)
        var households = 0, twins = 0, nonASCII = 0, hyphenated = 0
        for i in 0..<20000 {
            let p = population.person(i)
            #expect(p.phone.hasPrefix("+491") && (13...14).contains(p.phone.utf8.count))
            #expect(p.birthDate >= "1940-01-01" && p.birthDate <= "2006-12-31")
            #expect(p.postcode.utf8.count == 5 && p.country == "DE")
            if !p.givenName.allSatisfy(\.isASCII) || !p.familyName.allSatisfy(\.isASCII) { nonASCII += 1 }
            if p.familyName.contains("-") { hyphenated += 1 }
            switch p.relation {
            case .single: break
            case .household(let partner):
                households += 1
                let q = population.person(partner)
                #expect(q.familyName == p.familyName && q.street == p.street && q.city == p.city)
                #expect(q.givenName != p.givenName && q.birthDate != p.birthDate)
            case .twin(let sibling):
                twins += 1
                let q = population.person(sibling)
                #expect(q.familyName == p.familyName && q.birthDate == p.birthDate && q.postcode == p.postcode)
                #expect(q.givenName != p.givenName)
            }
        }
        #expect((500...1100).contains(households))
        #expect((100...300).contains(twins))
        #expect(nonASCII > 2000)
        #expect(hyphenated > 100)
    }

    @Test func writtenCSVImportsWithZeroRejectsAtTenPercentNoise() throws {
        let population = SamplePopulation(persons: 30000, seed: 2024)
        let path = temporaryPath("sample")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try population.writeCSV(unit: "retail", coverage: 0.7, noise: 0.1, to: path)
        let reader = try CSVReader(path: path)
        #expect(reader.header == SamplePopulation.csvHeader)
        let importer = try RowImporter(rules: customerRules, mapping: ImportMapping(), header: reader.header, settings: .init())
        #expect(importer.unmappedColumns.isEmpty)
        var records = 0
        var rejected: [String] = []
        var changed = 0
        let truth = Array(population.records(unit: "retail", coverage: 0.7, noise: 0.1))
        while let row = try reader.next() {
            switch importer.convert(row) {
            case .record(let record):
                let person = population.person(truth[records].personId)
                #expect(record.localId == truth[records].localId)
                if record.value("birth_date").map({ $0 != .single(person.birthDate) }) ?? true { changed += 1 }
                records += 1
            case .rejected(_, let errors):
                rejected.append(contentsOf: errors.map(\.description))
            }
        }
        #expect(rejected.isEmpty, "\(rejected.prefix(5))")
        #expect(records == written)
        #expect(changed < written / 50)
        let limited = try population.writeCSV(unit: "retail", coverage: 0.7, noise: 0.1, to: path, limit: 10)
        #expect(limited == 10)
    }
}
