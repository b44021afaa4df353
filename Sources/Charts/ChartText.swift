// ChartText: every human text plotdist writes into charts, the Markdown table and the HTML
// report, in English and in German (the reference tool's language; its chart texts are used
// word for word where it has them). One table, so a language is complete or visibly not.

/// The languages of `--lang` and `lang:` in config.yaml.
public enum ChartLanguage: String, Sendable, CaseIterable, LosslessStringConvertible {
    case en, de

    public init?(_ description: String) { self.init(rawValue: description) }
    public var description: String { rawValue }
}

/// The texts of one language. Entries with numbers or names are functions of them.
public struct ChartText: Sendable {
    public var language: ChartLanguage
    /// `lang` of the report's pages.
    public var htmlLanguage: String

    // Numbers of images.
    public var images: @Sendable (Int) -> String
    public var failedNotCounted: @Sendable (Int) -> String

    // Chart titles (names of the datasets shown; images of the single dataset).
    public var singleTitle: @Sendable (_ name: String, _ images: Int) -> String
    public var countsTitle: @Sendable ([String]) -> String
    public var percentTitle: @Sendable ([String]) -> String
    public var countAxis: String
    public var percentAxis: String
    public var categoryAxis: String

    // The selection subtitle.
    public var topOf: @Sendable (_ shown: Int, _ total: Int) -> String
    public var allCategories: @Sendable (Int) -> String
    public var rankedByDataset: @Sendable (String) -> String
    public var rankedByMaximum: String
    public var rankedByDifference: String

    // Notes under a chart.
    public var sharesAddUp: String
    public var whiskers: String
    public var significantMarked: String
    public var noneSignificant: String

    /// The stamp of anything made from emulated answers.
    public var emulatorStamp: @Sendable (Int) -> String

    // The Markdown table and the summary lines.
    public var categoryColumn: String
    public var differenceColumn: String
    public var liftColumn: String
    public var datasetSummary: @Sendable (_ name: String, _ images: Int, _ failed: Int) -> String
    public var chiSquare: @Sendable (_ statistic: String, _ dof: Int, _ p: String, _ cramersV: String) -> String
    public var chiSquareUndefined: String
    public var jensenShannon: @Sendable (String) -> String

    // `--field` tables and charts.
    public var liftCountsColumn: String
    /// "Records without the field: REAL 3, GEN 0 (not counted)".
    public var missingField: @Sendable (String) -> String
    /// What the lift counts, and the values it leaves out.
    public var liftUnit: @Sendable (LiftRule.Unit, [String]) -> String
    public var fieldCountsTitle: @Sendable (_ field: String, _ names: [String]) -> String
    public var fieldPercentTitle: @Sendable (_ field: String, _ names: [String]) -> String
    public var fieldSingleTitle: @Sendable (_ field: String, _ name: String) -> String

    // The HTML report.
    public var reportTitle: @Sendable ([String]) -> String
    public var summaryHeading: String
    public var method: String
    public var chartsHeading: String
    public var allCategoriesHeading: @Sendable (Int) -> String
    public var sortHint: String
    public var examplesHeading: String
    public var examplesNote: @Sendable (Int) -> String
    public var imagesColumn: @Sendable (String) -> String
    public var intervalColumn: @Sendable (String) -> String
    public var differencePointsColumn: String
    public var noImages: String
    public var imageMissing: String
    public var backToAll: String

    // The report's sections for `--field`.
    public var analysisTitle: @Sendable ([String]) -> String
    public var clustersHeading: String
    public var clustersNote: @Sendable (_ shown: Int, _ examples: Int) -> String
    public var clusterTitle: @Sendable (String) -> String
    public var keywordsOfCluster: String
    public var keywordsHeading: String
    public var keywordsNote: @Sendable (Int) -> String
    public var keywordTitle: @Sendable (String) -> String
    public var attributeHeading: @Sendable (String) -> String
    public var shiftTableHeading: @Sendable (String, Int) -> String
    public var noLift: String

    /// The table of `language`.
    public static func of(_ language: ChartLanguage) -> ChartText {
        switch language {
        case .en: return english
        case .de: return german
        }
    }

    public static let english: ChartText = ChartText(
        language: .en, htmlLanguage: "en",
        images: { NumberText.grouped($0) + ($0 == 1 ? " image" : " images") },
        failedNotCounted: { "\(NumberText.grouped($0)) failed, not counted" },
        singleTitle: { name, _ in "Categories of \(name)" },
        countsTitle: { "Images per category: " + $0.joined(separator: " vs ") },
        percentTitle: { "Share of images per category: " + $0.joined(separator: " vs ") },
        countAxis: "Images with the category",
        percentAxis: "Share of the dataset's images with the category (%)",
        categoryAxis: "Category",
        topOf: { "Top \($0) of \($1) categories" },
        allCategories: { "All \($0) categories" },
        rankedByDataset: { ", ranked by \($0)" },
        rankedByMaximum: ", ranked by the largest share",
        rankedByDifference: ", ranked by the difference between datasets",
        sharesAddUp: "An image with two categories counts in both, so shares can add up to more than 100%.",
        whiskers: "Whiskers: 95% Wilson confidence intervals.",
        significantMarked: "* Difference significant: two-proportion z-test, Benjamini–Hochberg q < 0.05.",
        noneSignificant: "No difference shown is significant (two-proportion z-test, Benjamini–Hochberg q < 0.05).",
        emulatorStamp: { "EMULATOR — not model output (\(english.images($0)) described or categorized by the Gemini emulator)" },
        categoryColumn: "Category",
        differenceColumn: "Diff (pp)",
        liftColumn: "log2 lift",
        datasetSummary: { "\($0): \(english.images($1)), \(NumberText.grouped($2)) failed (not counted)" },
        chiSquare: { "Chi-square test of homogeneity: χ² = \($0), dof = \($1), p = \($2); Cramér's V = \($3)" },
        chiSquareUndefined: "Chi-square test of homogeneity: not defined (needs two datasets and two categories with images)",
        jensenShannon: { "Jensen–Shannon divergence (bits): \($0)" },
        liftCountsColumn: "log2 lift (counts)",
        missingField: { "Records without the field (not counted): \($0)" },
        liftUnit: { unit, excluded in
            (unit == .occurrences ? "log2 lift counts term occurrences (total = all occurrences per dataset), as the reference's keyword shift does"
                                  : "log2 lift counts images (total = the dataset's assignments)")
                + (excluded.isEmpty ? "" : "; left out of it: " + excluded.joined(separator: ", "))
        },
        fieldCountsTitle: { "Images per value of \($0): " + $1.joined(separator: " vs ") },
        fieldPercentTitle: { "Share of images per value of \($0): " + $1.joined(separator: " vs ") },
        fieldSingleTitle: { "Values of \($0) in \($1)" },
        reportTitle: { "Category distributions: " + $0.joined(separator: " vs ") },
        summaryHeading: "Summary",
        method: "Percent: share of a dataset's images carrying the category (an image with two categories counts in both); "
            + "failed records are left out. Intervals: Wilson 95%. With two datasets, Δ is the second minus the first in "
            + "percentage points, log2 lift compares smoothed shares of category assignments ((count + 0.5) / (total + 0.5·k)), "
            + "p is the two-proportion z-test and q its Benjamini–Hochberg correction; rows with q < 0.05 are marked.",
        chartsHeading: "Charts",
        allCategoriesHeading: { "All \($0) categories" },
        sortHint: "Click a column heading to sort.",
        examplesHeading: "Examples per category",
        examplesNote: { "Up to \($0) images per dataset (a fixed sample); each heading links to the page with all images of the category." },
        imagesColumn: { "\($0) images" },
        intervalColumn: { "\($0) 95% CI" },
        differencePointsColumn: "Δ pp",
        noImages: "No images.",
        imageMissing: "no image",
        backToAll: "← All categories",
        analysisTitle: { "What sets the datasets apart: " + $0.joined(separator: " vs ") },
        clustersHeading: "Clusters with the highest lift",
        clustersNote: { "The \($0) clusters with the highest log2 lift above 0 (noise left out); highlighted at log2 lift ≥ 1 and q < 0.05. "
            + "Up to \($1) example images per dataset; each heading links to the cluster's page with all its images." },
        clusterTitle: { $0 == ComparedField.noiseCluster ? "Noise (-1)" : "Cluster \($0)" },
        keywordsOfCluster: "Keywords",
        keywordsHeading: "Keywords with the highest lift",
        keywordsNote: { "The \($0) terms with the highest log2 lift above 0 (term occurrences, as the reference counts them); "
            + "each links to a page with the images whose text holds it. Images: records whose text holds the term." },
        keywordTitle: { "Keyword “\($0)”" },
        attributeHeading: { "Attribute: \($0)" },
        shiftTableHeading: { "All \($1) values of \($0)" },
        noLift: "No value has a log2 lift above 0.")

    /// The reference tool's words where it has them (its chart titles and axes), German otherwise.
    public static let german: ChartText = ChartText(
        language: .de, htmlLanguage: "de",
        images: { NumberText.grouped($0) + ($0 == 1 ? " Bild" : " Bilder") },
        failedNotCounted: { "\(NumberText.grouped($0)) fehlgeschlagen, nicht gezählt" },
        singleTitle: { _, images in "Verteilung der Bildkategorien (insgesamt \(NumberText.grouped(images)) Bilder)" },
        countsTitle: { _ in "Vergleich der Kategorienverteilung" },
        percentTitle: { _ in "Normalisierter Vergleich der Kategorienverteilung" },
        countAxis: "Anzahl der Bilder",
        percentAxis: "Prozentualer Anteil der Bilder (%)",
        categoryAxis: "Kategorien",
        topOf: { "Top \($0) von \($1) Kategorien" },
        allCategories: { "Alle \($0) Kategorien" },
        rankedByDataset: { " (basierend auf \($0))" },
        rankedByMaximum: " (nach dem größten Anteil)",
        rankedByDifference: " (nach dem Unterschied zwischen den Datensätzen)",
        sharesAddUp: "Ein Bild mit zwei Kategorien zählt in beiden, daher können die Anteile zusammen über 100 % liegen.",
        whiskers: "Fehlerbalken: 95-%-Konfidenzintervalle nach Wilson.",
        significantMarked: "* Unterschied signifikant: Zwei-Stichproben-z-Test für Anteile, Benjamini–Hochberg q < 0,05.",
        noneSignificant: "Kein gezeigter Unterschied ist signifikant (Zwei-Stichproben-z-Test für Anteile, Benjamini–Hochberg q < 0,05).",
        emulatorStamp: { "EMULATOR — keine Modellausgabe (\(german.images($0)) vom Gemini-Emulator beschrieben oder kategorisiert)" },
        categoryColumn: "Kategorie",
        differenceColumn: "Diff. (Pp.)",
        liftColumn: "log2-Lift",
        datasetSummary: { "\($0): \(german.images($1)), \(NumberText.grouped($2)) fehlgeschlagen (nicht gezählt)" },
        chiSquare: { "Chi-Quadrat-Homogenitätstest: χ² = \($0), FG = \($1), p = \($2); Cramérs V = \($3)" },
        chiSquareUndefined: "Chi-Quadrat-Homogenitätstest: nicht definiert (braucht zwei Datensätze und zwei Kategorien mit Bildern)",
        jensenShannon: { "Jensen-Shannon-Divergenz (Bit): \($0)" },
        liftCountsColumn: "log2-Lift (Anzahlen)",
        missingField: { "Datensätze ohne das Feld (nicht gezählt): \($0)" },
        liftUnit: { unit, excluded in
            (unit == .occurrences ? "Der log2-Lift zählt Vorkommen der Begriffe (Summe = alle Vorkommen je Datensatz), wie die Schlüsselwort-Analyse der Referenz"
                                  : "Der log2-Lift zählt Bilder (Summe = Zuordnungen des Datensatzes)")
                + (excluded.isEmpty ? "" : "; ausgenommen: " + excluded.joined(separator: ", "))
        },
        fieldCountsTitle: { "Bilder je Wert von \($0): " + $1.joined(separator: " vs. ") },
        fieldPercentTitle: { "Anteil der Bilder je Wert von \($0): " + $1.joined(separator: " vs. ") },
        fieldSingleTitle: { "Werte von \($0) in \($1)" },
        reportTitle: { "Kategorienverteilungen: " + $0.joined(separator: " vs. ") },
        summaryHeading: "Zusammenfassung",
        method: "Prozent: Anteil der Bilder eines Datensatzes mit der Kategorie (ein Bild mit zwei Kategorien zählt in beiden); "
            + "fehlgeschlagene Datensätze bleiben außen vor. Intervalle: Wilson 95 %. Bei zwei Datensätzen ist Δ der zweite minus "
            + "der erste in Prozentpunkten, der log2-Lift vergleicht geglättete Anteile der Kategoriezuordnungen "
            + "((Anzahl + 0,5) / (Summe + 0,5·k)), p ist der Zwei-Stichproben-z-Test für Anteile und q seine Korrektur nach "
            + "Benjamini–Hochberg; Zeilen mit q < 0,05 sind markiert.",
        chartsHeading: "Diagramme",
        allCategoriesHeading: { "Alle \($0) Kategorien" },
        sortHint: "Zum Sortieren auf eine Spaltenüberschrift klicken.",
        examplesHeading: "Beispiele je Kategorie",
        examplesNote: { "Bis zu \($0) Bilder je Datensatz (eine feste Auswahl); jede Überschrift führt zur Seite mit allen Bildern der Kategorie." },
        imagesColumn: { "\($0) Bilder" },
        intervalColumn: { "\($0) 95-%-KI" },
        differencePointsColumn: "Δ Pp.",
        noImages: "Keine Bilder.",
        imageMissing: "kein Bild",
        backToAll: "← Alle Kategorien",
        analysisTitle: { "Was die Datensätze unterscheidet: " + $0.joined(separator: " vs. ") },
        clustersHeading: "Cluster mit dem höchsten Lift",
        clustersNote: { "Die \($0) Cluster mit dem höchsten log2-Lift über 0 (ohne Rauschen); hervorgehoben bei log2-Lift ≥ 1 und q < 0,05. "
            + "Bis zu \($1) Beispielbilder je Datensatz; jede Überschrift führt zur Seite des Clusters mit allen Bildern." },
        clusterTitle: { $0 == ComparedField.noiseCluster ? "Rauschen (-1)" : "Cluster \($0)" },
        keywordsOfCluster: "Schlüsselwörter",
        keywordsHeading: "Schlüsselwörter mit dem höchsten Lift",
        keywordsNote: { "Die \($0) Begriffe mit dem höchsten log2-Lift über 0 (Vorkommen der Begriffe, wie die Referenz sie zählt); "
            + "jeder führt zu einer Seite mit den Bildern, deren Text ihn enthält. Bilder: Datensätze, deren Text den Begriff enthält." },
        keywordTitle: { "Schlüsselwort „\($0)“" },
        attributeHeading: { "Attribut: \($0)" },
        shiftTableHeading: { "Alle \($1) Werte von \($0)" },
        noLift: "Kein Wert hat einen log2-Lift über 0.")
}
