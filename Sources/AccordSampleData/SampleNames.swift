#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Name lists for sample persons: common German and European names, some with umlauts,
/// ß, accents or hyphens.
enum SampleNames {
    static let given: [String] = [
        "Anna", "Maria", "Emma", "Mia", "Sophie", "Hannah", "Lena", "Lea", "Laura", "Julia",
        "Sarah", "Lisa", "Katharina", "Johanna", "Clara", "Charlotte", "Marie", "Emilia", "Amelie", "Lina",
        "Ella", "Greta", "Frieda", "Ida", "Mathilda", "Paula", "Luise", "Helena", "Victoria", "Nele",
        "Jana", "Anja", "Sabine", "Petra", "Claudia", "Susanne", "Andrea", "Monika", "Ursula", "Renate",
        "Karin", "Birgit", "Gabriele", "Heike", "Stefanie", "Nicole", "Martina", "Silke", "Christine", "Brigitte",
        "Ingrid", "Gisela", "Helga", "Elke", "Doris", "Angelika", "Barbara", "Elisabeth", "Margarete", "Irmgard",
        "Jutta", "Kerstin", "Tanja", "Sandra", "Melanie", "Daniela", "Katrin", "Simone", "Nadine", "Manuela",
        "Franziska", "Miriam", "Vanessa", "Carina", "Svenja", "Jasmin", "Theresa", "Antonia", "Magdalena", "Veronika",
        "Zoë", "Chloé", "Renée", "Hélène", "Céline", "Noémie", "Inès", "Ana-Sofía", "Małgorzata", "Agnieszka",
        "Björg", "Åsa", "Märta", "Dörte", "Jördis", "Anna-Lena", "Marie-Luise", "Lotte", "Wiebke", "Frauke",
        "Ilse", "Käthe", "Gudrun", "Hildegard", "Erika", "Ruth", "Edith", "Rosemarie", "Annegret", "Bärbel",
        "Lukas", "Leon", "Finn", "Jonas", "Paul", "Elias", "Noah", "Felix", "Maximilian", "Luca",
        "Ben", "Henry", "Emil", "Theo", "Anton", "Jakob", "David", "Moritz", "Julian", "Niklas",
        "Alexander", "Tim", "Tom", "Jan", "Philipp", "Simon", "Fabian", "Florian", "Tobias", "Sebastian",
        "Daniel", "Michael", "Thomas", "Andreas", "Stefan", "Christian", "Markus", "Frank", "Martin", "Peter",
        "Klaus", "Wolfgang", "Jürgen", "Dieter", "Uwe", "Bernd", "Ralf", "Rainer", "Jörg", "Matthias",
        "Holger", "Torsten", "Dirk", "Carsten", "Sven", "Olaf", "Heiko", "Volker", "Manfred", "Horst",
        "Günter", "Gerhard", "Helmut", "Werner", "Heinz", "Karl", "Walter", "Hans", "Kurt", "Herbert",
        "Björn", "Sören", "Jens", "Lars", "Nils", "Ole", "Malte", "Hauke", "Timo", "Kai",
        "Hans-Peter", "Karl-Heinz", "Hans-Jürgen", "Klaus-Dieter", "Jan-Hendrik", "Jean-Luc", "José", "André", "Noël", "François",
        "René", "Jérôme", "Søren", "Øyvind", "Mikołaj", "Łukasz", "Tomáš", "Dušan", "Ömer", "Çağlar",
        "Luís", "Iñigo", "Raphaël", "Benoît", "Joël", "Mehmet", "Ahmet", "Murat", "Ali", "Yusuf",
        "Konstantin", "Leopold", "Ludwig", "Friedrich", "Wilhelm", "Otto", "Oskar", "Johann", "Benedikt", "Valentin",
        "Dominik", "Patrick", "Marco", "Marcel", "Dennis", "Kevin", "Steffen", "Sascha", "Mario", "Robert",
    ]

    static let family: [String] = [
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
        "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
        "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
        "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
        "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
        "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin",
        "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
        "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl",
        "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer",
        "Dörr", "Götz", "Brückner", "Jürgens", "Lüdtke", "Bäcker", "Wüst", "Jöst", "Straßer", "Große",
        "Nußbaum", "Rößler", "Gößling", "Weißenborn", "Strauß", "Fußmann", "Grüner", "Höfer", "Löffler", "Thür",
        "Ernst", "Hübner", "Kramer", "Fiedler", "Jansen", "Schilling", "Vetter", "Kolb", "Nowak", "Kowalski",
        "Wójcik", "Kamiński", "Lewandowski", "Dąbrowski", "Nováková", "Dvořák", "Horváth", "Kovač", "Yılmaz", "Öztürk",
        "Şahin", "Çelik", "Demir", "Kaya", "Aydın", "Dupont", "Lefèvre", "Moreau", "Girard", "Bérénger",
        "García", "Martínez", "Fernández", "López", "Rodríguez", "Gonçalves", "Conceição", "Rossi", "Bianchi", "Colombo",
        "Ricci", "Esposito", "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Johansson",
        "Åberg", "Öberg", "Lindqvist", "Virtanen", "Mäkinen", "Korhonen", "de Vries", "van Dijk", "van den Berg", "de Jong",
        "Bakker", "Janssen", "Visser", "Smit", "Meijer", "Peeters", "Maes", "Jacobs", "Mertens", "Willems",
        "O'Brien", "Murphy", "Kelly", "Walsh", "Byrne", "Smith", "Jones", "Taylor", "Brown", "Wilson",
        "von Bülow", "von Arnim", "zu Putlitz", "von der Heide", "Kessler", "Lindner", "Marx", "Bock", "Frey", "Brenner",
        "Hoppe", "Haase", "Wirth", "Kurz", "Ebert", "Schütz", "Petersen", "Kuhlmann", "Heller", "Wendt",
        "Adam", "Seifert", "Raab", "Witt", "Voß", "Thiel", "Rieger", "Reuter", "Hauser", "Sander",
        "Mack", "Ritter", "Geiger", "Moser", "Böttcher", "Pieper", "Stahl", "Kunz", "Pietsch", "Hein",
        "Reinhardt", "Gerlach", "Lenz", "Ullrich", "Brinkmann", "Marquardt", "Kirchner", "Kruse", "Schwab", "Nagel",
        "Forster", "Weidner", "Budde", "Wiegand", "Thiele", "Hesse", "Schramm", "Beyer", "Michel", "Rösch",
        "Kühne", "Meißner", "Blum", "Heinz", "Scherer", "Kern", "Schön", "Fritsch", "Hentschel", "Brand",
        "Ackermann", "Böhme", "Dittrich", "Eckert", "Falk", "Gebhardt", "Hermann", "Imhof", "Jakobs", "Kopp",
        "Lutz", "Merkel", "Nolte", "Oswald", "Popp", "Quast", "Rudolph", "Sturm", "Trautmann", "Ulrich",
        "Vollmer", "Wagener", "Zeller", "Abel", "Bender", "Claßen", "Diehl", "Eichhorn", "Fink", "Gärtner",
    ]

    /// Index of the first male given name (the list holds female names first).
    static let firstMaleGiven = 110

    /// Cumulative weights of ``SampleNameFrequencies/realistic`` draws.
    static let givenCumulative: [Double] = cumulative((0..<given.count).map { i in
        1 / pow(Double((i < firstMaleGiven ? i : i - firstMaleGiven) + 1), 0.6)
    })
    static let familyCumulative: [Double] = cumulative((0..<family.count).map { 1 / pow(Double($0 + 1), 0.6) })

    static func cumulative(_ weights: [Double]) -> [Double] {
        let total = weights.reduce(0, +)
        var sum = 0.0
        return weights.map { sum += $0 / total; return sum }
    }

    /// A weighted draw (one number from `rng`).
    static func draw(_ cumulative: [Double], _ rng: inout SeededGenerator) -> Int {
        let u = rng.unit()
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        return low
    }

    static func drawGiven(_ rng: inout SeededGenerator) -> Int { draw(givenCumulative, &rng) }
    static func drawFamily(_ rng: inout SeededGenerator) -> Int { draw(familyCumulative, &rng) }
}
