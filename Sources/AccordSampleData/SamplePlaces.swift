/// Places and contact data for sample persons: German cities with a real postcode of each,
/// street names, e-mail domains and mobile prefixes.
enum SamplePlaces {
    /// (city, a 5-digit postcode of that city).
    static let cities: [(city: String, postcode: String)] = [
        ("Berlin", "10115"), ("Hamburg", "20095"), ("München", "80331"), ("Köln", "50667"),
        ("Frankfurt am Main", "60311"), ("Stuttgart", "70173"), ("Düsseldorf", "40213"), ("Leipzig", "04109"),
        ("Dortmund", "44135"), ("Essen", "45127"), ("Bremen", "28195"), ("Dresden", "01067"),
        ("Hannover", "30159"), ("Nürnberg", "90402"), ("Duisburg", "47051"), ("Bochum", "44787"),
        ("Wuppertal", "42103"), ("Bielefeld", "33602"), ("Bonn", "53111"), ("Münster", "48143"),
        ("Mannheim", "68159"), ("Karlsruhe", "76133"), ("Augsburg", "86150"), ("Wiesbaden", "65183"),
        ("Mönchengladbach", "41061"), ("Gelsenkirchen", "45879"), ("Aachen", "52062"), ("Braunschweig", "38100"),
        ("Kiel", "24103"), ("Chemnitz", "09111"), ("Halle (Saale)", "06108"), ("Magdeburg", "39104"),
        ("Freiburg im Breisgau", "79098"), ("Krefeld", "47798"), ("Mainz", "55116"), ("Lübeck", "23552"),
        ("Erfurt", "99084"), ("Oberhausen", "46045"), ("Rostock", "18055"), ("Kassel", "34117"),
        ("Hagen", "58095"), ("Potsdam", "14467"), ("Saarbrücken", "66111"), ("Hamm", "59065"),
        ("Ludwigshafen am Rhein", "67059"), ("Oldenburg", "26122"), ("Mülheim an der Ruhr", "45468"), ("Osnabrück", "49074"),
        ("Leverkusen", "51373"), ("Darmstadt", "64283"), ("Heidelberg", "69117"), ("Solingen", "42651"),
        ("Herne", "44623"), ("Regensburg", "93047"), ("Neuss", "41460"), ("Paderborn", "33098"),
        ("Ingolstadt", "85049"), ("Offenbach am Main", "63065"), ("Fürth", "90762"), ("Würzburg", "97070"),
        ("Ulm", "89073"), ("Heilbronn", "74072"), ("Pforzheim", "75175"), ("Wolfsburg", "38440"),
        ("Göttingen", "37073"), ("Bottrop", "46236"), ("Reutlingen", "72764"), ("Koblenz", "56068"),
        ("Bremerhaven", "27570"), ("Recklinghausen", "45657"), ("Erlangen", "91052"), ("Bergisch Gladbach", "51465"),
        ("Remscheid", "42853"), ("Jena", "07743"), ("Trier", "54290"), ("Salzgitter", "38226"),
        ("Moers", "47441"), ("Siegen", "57072"), ("Hildesheim", "31134"), ("Gütersloh", "33330"),
        ("Kaiserslautern", "67655"), ("Cottbus", "03046"), ("Schwerin", "19053"), ("Witten", "58452"),
        ("Gera", "07545"), ("Iserlohn", "58636"), ("Zwickau", "08056"), ("Düren", "52349"),
        ("Esslingen am Neckar", "73728"), ("Ratingen", "40878"), ("Flensburg", "24937"), ("Tübingen", "72070"),
        ("Konstanz", "78462"), ("Worms", "67547"), ("Marburg", "35037"), ("Lüneburg", "21335"),
        ("Bamberg", "96047"), ("Bayreuth", "95444"), ("Passau", "94032"), ("Weimar", "99423"),
        ("Görlitz", "02826"), ("Stralsund", "18439"), ("Greifswald", "17489"), ("Celle", "29221"),
        ("Landshut", "84028"), ("Rosenheim", "83022"), ("Kempten (Allgäu)", "87435"), ("Fulda", "36037"),
    ]

    static let streets: [String] = [
        "Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße", "Bergstraße", "Birkenweg",
        "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße", "Goethestraße", "Am Markt",
        "Wiesenweg", "Mozartstraße", "Friedrich-Ebert-Straße", "Kantstraße", "Rosenweg", "Amselweg",
        "Am Sportplatz", "Feldstraße", "Jahnstraße", "Poststraße", "Mühlenweg", "Lessingstraße", "Blumenstraße",
        "Beethovenstraße", "Eichendorffstraße", "Heinrich-Heine-Straße", "Uhlandstraße", "Parkstraße", "Talstraße",
        "Kastanienallee", "Ahornweg", "Tannenweg", "Buchenweg", "Erlenweg", "Drosselweg", "Finkenweg",
        "Lerchenweg", "Meisenweg", "Mittelstraße", "Neue Straße", "Bismarckstraße", "Kaiserstraße", "Königstraße",
        "Marktplatz", "Rathausplatz", "Schlossstraße", "Burgstraße", "Brunnenstraße", "Mühlstraße", "Sonnenstraße",
        "Friedhofstraße", "Industriestraße", "Hochstraße", "Lange Straße", "Breite Straße", "Kurze Straße",
        "Am Bach", "Am Anger", "Im Winkel", "An der Kirche", "Zum Hafen", "Uferstraße", "Rheinstraße",
        "Elbchaussee", "Donaustraße", "Moselweg", "Weserstraße", "Karl-Marx-Straße", "Bürgermeister-Smidt-Straße",
        "Konrad-Adenauer-Ring", "Willy-Brandt-Platz", "Albert-Schweitzer-Straße", "Robert-Koch-Straße",
        "Gustav-Stresemann-Ring", "Sophie-Scholl-Weg", "Käthe-Kollwitz-Straße", "Dürerstraße", "Humboldtstraße",
        "Wilhelmstraße", "Luisenstraße", "Augustastraße", "Theodor-Heuss-Allee", "Große Bleiche", "Hohe Straße",
        "Schützenstraße", "Grüner Weg", "Weidenweg", "Gänsemarkt", "Fischmarkt", "Kreuzstraße", "Steinweg",
    ]

    static let emailDomains: [String] = [
        "gmail.com", "web.de", "gmx.de", "gmx.net", "t-online.de", "outlook.com", "yahoo.de", "icloud.com",
        "posteo.de", "mail.de", "freenet.de", "hotmail.com", "outlook.de", "online.de", "aol.com", "mailbox.org",
    ]

    /// German mobile network prefixes (national, without trunk 0) and their subscriber digits.
    static let mobilePrefixes: [(prefix: String, digits: Int)] = [
        ("151", 8), ("152", 8), ("157", 8), ("159", 8), ("160", 7), ("162", 7), ("163", 7),
        ("170", 7), ("171", 7), ("172", 7), ("173", 7), ("174", 7), ("175", 7), ("176", 8),
        ("177", 8), ("178", 8), ("179", 7),
    ]
}
