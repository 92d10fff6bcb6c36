/// Common English and German given names with their usual short forms and variants, in folded
/// spelling (``NameFolding``: `Käthe` is `kaethe`). Each group starts with the full name; a short
/// form may belong to several groups (`alex`: Alexander and Alexandra; `toni`: Anton and Antonia).
/// Two given names are nickname-equivalent when they share a group. Pairs of names that are both
/// common given names in their own right (Jan and Johannes, Klaus and Niklas, Stefan and Steffen,
/// Lena and Helena) are left out on purpose: treating them as one name would merge twins.
enum Nicknames {
    static let groups: [[String]] = [
        // English
        ["william", "bill", "billy", "will", "willy", "willie", "liam", "wilhelm", "willi"],
        ["robert", "bob", "bobby", "rob", "robbie", "bert"],
        ["richard", "dick", "rick", "ricky", "rich", "richie"],
        ["james", "jim", "jimmy", "jamie"],
        ["john", "jack", "johnny", "jon"],
        ["joseph", "joe", "joey", "josef", "sepp", "seppl", "jupp", "beppo"],
        ["thomas", "tom", "tommy", "thommy"],
        ["michael", "mike", "mick", "mickey", "michi", "michel"],
        ["margaret", "maggie", "meg", "peggy", "marge", "margarete", "grete", "gretel", "margit", "meta"],
        ["elizabeth", "liz", "lizzy", "beth", "betty", "eliza", "elisabeth", "lisa", "liesel", "lise", "elli", "sissi", "betti"],
        ["katherine", "catherine", "kate", "kathy", "katie", "cathy", "katharina", "kathi", "kati", "katja", "kaethe", "trine"],
        ["alexander", "alex", "sandy", "xander", "sascha", "xandi"],
        ["alexandra", "alex", "sandra", "sascha", "sandy"],
        ["christopher", "chris", "kit"],
        ["christian", "chris", "christl"],
        ["christine", "christina", "chris", "tina", "christa", "kristina"],
        ["daniel", "dan", "danny", "dani"],
        ["david", "dave", "davey"],
        ["edward", "ed", "eddie", "ted", "teddy"],
        ["henry", "hank", "harry", "heinrich", "heinz", "heini", "hinrich"],
        ["patricia", "pat", "patty", "trish", "tricia"],
        ["patrick", "pat", "paddy"],
        ["anthony", "tony", "anton", "toni"],
        ["antonia", "toni", "tonia"],
        ["andrew", "andy", "drew", "andreas", "andi", "anderl"],
        ["benjamin", "ben", "benny", "benji"],
        ["benedikt", "bene", "benny", "benedict"],
        ["charles", "charlie", "chuck", "karl", "carl", "kalle"],
        ["samuel", "sam", "sammy"],
        ["susan", "sue", "susie", "susanne", "susi", "sanne", "suse"],
        ["jennifer", "jen", "jenny"],
        ["nicholas", "nick", "nicky", "nikolaus", "nico", "niko"],
        ["matthew", "matt", "matthias", "matze", "hias", "mathias"],
        ["steven", "stephen", "steve", "stefan", "stephan"],
        ["timothy", "tim", "timmy"],
        ["frederick", "fred", "freddy", "friedrich", "fritz", "friedel", "fiete"],
        ["deborah", "debbie", "debby"],
        ["victoria", "vicky", "viktoria", "vicki"],
        ["rebecca", "becky", "becca"],
        // German
        ["johannes", "hans", "hannes", "johann", "jo"],
        ["johanna", "hanne", "jo"],
        ["wilhelm", "willi", "willy", "wim", "helm", "william"],
        ["barbara", "babsi", "baerbel", "babs"],
        ["magdalena", "leni", "magda", "madlen"],
        ["helena", "helene", "leni"],
        ["franziska", "franzi", "fanny"],
        ["franz", "franzl", "francis"],
        ["theodor", "theo", "ted", "theodore"],
        ["theresa", "resi", "thea", "terry", "therese"],
        ["wolfgang", "wolf", "wolfi"],
        ["sebastian", "basti", "wastl"],
        ["dominik", "domi", "dominic"],
        ["florian", "flo"],
        ["maximilian", "max", "maxi"],
        ["ludwig", "lutz", "louis", "lou"],
        ["konstantin", "konsti", "kosta", "constantin"],
        ["valentin", "valle", "vali"],
        ["gabriele", "gabi", "gaby"],
        ["stefanie", "steffi", "stephanie", "steph"],
        ["angelika", "angie", "geli", "angela"],
        ["monika", "moni", "monica"],
        ["ursula", "uschi", "ulla", "uli"],
        ["ulrich", "uli", "ulli"],
        ["brigitte", "gitte", "biggi"],
        ["gisela", "gisi"],
        ["renate", "reni"],
        ["veronika", "vroni", "veronica"],
        ["jakob", "jacob", "jockel", "jakobus"],
        ["tobias", "tobi"],
        ["manfred", "manni", "fred"],
        ["gerhard", "gerd", "gert", "hardy"],
        ["bernhard", "bernd", "berni"],
        ["reinhard", "reiner", "rainer"],
        ["dietrich", "dieter", "didi"],
        ["mathilda", "mathilde", "tilda", "tilde", "tilly"],
        ["frieda", "friederike", "rike", "frida"],
        ["luise", "louise", "lulu", "lu"],
        ["charlotte", "lotte", "charly", "lotta"],
        ["emilia", "emilie", "emily", "emmi"],
        ["leopold", "poldi", "leo"],
        ["oskar", "oscar", "ossi"],
    ]

    /// Folded name -> indices of the groups it belongs to, ascending.
    static let index: [String: [UInt16]] = {
        var result: [String: [UInt16]] = [:]
        for (number, group) in groups.enumerated() {
            for name in group where !(result[name]?.contains(UInt16(number)) ?? false) {
                result[name, default: []].append(UInt16(number))
            }
        }
        return result
    }()

    /// The groups a folded name belongs to (empty if it is not in the table).
    static func groups(of folded: String) -> [UInt16] { index[folded] ?? [] }

    /// The initial that blocking uses for a folded name: the first letter of the alphabetically
    /// first full name of its groups (`bill` → `w`, `sepp` → `j`), else its own first letter.
    static func canonicalInitial(of folded: String) -> UInt8? {
        let full = groups(of: folded).map { groups[Int($0)][0] }.min()
        return (full ?? folded).utf8.first
    }
}
