namespace YTeSo.Fhir.DemoData;

internal sealed record Diagnosis(string Icd10, string Display);

internal sealed record Drug(string Atc, string Text, string Dosage, decimal Quantity, string QuantityUnit);

// IntroducedOn: first date the dose was part of the TCMR schedule, when that matters.
internal sealed record VaccineDose(string Cvx, string CvxDisplay, string Name, int DoseNumber, int AgeDays, DateOnly? IntroducedOn = null);

/// <summary>Codes with Vietnamese display text for the demo's clinical history.</summary>
internal static class ClinicalCatalogue
{
    public static readonly Diagnosis Hypertension = new("I10", "Tăng huyết áp vô căn (nguyên phát)");
    public static readonly Diagnosis Type2Diabetes = new("E11", "Đái tháo đường typ 2");
    public static readonly Diagnosis Asthma = new("J45", "Hen phế quản");
    public static readonly Diagnosis Copd = new("J44", "Bệnh phổi tắc nghẽn mạn tính");

    public static readonly Diagnosis UpperRespiratoryInfection = new("J06", "Nhiễm khuẩn hô hấp trên cấp");
    public static readonly Diagnosis Pharyngitis = new("J02", "Viêm họng cấp");
    public static readonly Diagnosis Pneumonia = new("J18", "Viêm phổi, tác nhân không xác định");
    public static readonly Diagnosis Gastritis = new("K29", "Viêm dạ dày và tá tràng");
    public static readonly Diagnosis Diarrhoea = new("A09", "Tiêu chảy, viêm dạ dày - ruột do nhiễm khuẩn");
    public static readonly Diagnosis Dengue = new("A90", "Sốt Dengue");
    public static readonly Diagnosis BackPain = new("M54", "Đau lưng");
    public static readonly Diagnosis UrinaryTractInfection = new("N39.0", "Nhiễm khuẩn đường tiết niệu, vị trí không xác định");

    public static readonly (Diagnosis Value, double Weight)[] ChildAcute =
    [
        (UpperRespiratoryInfection, 40), (Diarrhoea, 20), (Pneumonia, 10), (Pharyngitis, 10), (Dengue, 8),
    ];

    public static readonly (Diagnosis Value, double Weight)[] AdultAcute =
    [
        (UpperRespiratoryInfection, 30), (Gastritis, 20), (BackPain, 15), (UrinaryTractInfection, 10),
        (Pharyngitis, 8), (Dengue, 6), (Pneumonia, 6),
    ];

    // ATC codes (WHO) identify the active substance; the text is what a Vietnamese prescription shows.
    public static readonly Drug Amlodipine = new("C08CA01", "Amlodipin 5mg, viên nén", "Uống 1 viên/ngày, buổi sáng", 30, "viên");
    public static readonly Drug Losartan = new("C09CA01", "Losartan 50mg, viên nén bao phim", "Uống 1 viên/ngày, buổi sáng", 30, "viên");
    public static readonly Drug Metformin = new("A10BA02", "Metformin 500mg, viên nén bao phim", "Uống 1 viên x 2 lần/ngày, sau ăn sáng và tối", 60, "viên");
    public static readonly Drug Salbutamol = new("R03AC02", "Salbutamol 100mcg/liều, bình xịt định liều", "Xịt 2 nhát khi khó thở, tối đa 4 lần/ngày", 1, "bình");

    /// <summary>
    /// TCMR doses for children, vn-standards §6.2 (TT 10/2024). Ages are the scheduled ages in days.
    /// </summary>
    public static readonly VaccineDose[] ChildhoodSchedule =
    [
        new("08", "Hep B, adolescent or pediatric", "Vắc xin viêm gan B sơ sinh", 1, 0),
        new("19", "BCG", "Vắc xin BCG (phòng lao)", 1, 7),
        new("102", "DTP-Hib-Hep B", "Vắc xin DPT-VGB-Hib (5 trong 1)", 1, 60),
        new("178", "OPV bivalent", "Vắc xin bại liệt uống (bOPV)", 1, 60),
        new("102", "DTP-Hib-Hep B", "Vắc xin DPT-VGB-Hib (5 trong 1)", 2, 90),
        new("178", "OPV bivalent", "Vắc xin bại liệt uống (bOPV)", 2, 90),
        new("102", "DTP-Hib-Hep B", "Vắc xin DPT-VGB-Hib (5 trong 1)", 3, 120),
        new("178", "OPV bivalent", "Vắc xin bại liệt uống (bOPV)", 3, 120),
        new("10", "IPV", "Vắc xin bại liệt tiêm (IPV)", 1, 150),
        new("05", "measles", "Vắc xin sởi", 1, 270),

        // vn-standards §6.2: the second IPV dose at 9 months came with TT 10/2024, in force from 1 August 2024.
        new("10", "IPV", "Vắc xin bại liệt tiêm (IPV)", 2, 270, new DateOnly(2024, 8, 1)),
        new("39", "Japanese encephalitis SC", "Vắc xin viêm não Nhật Bản", 1, 365),
        new("39", "Japanese encephalitis SC", "Vắc xin viêm não Nhật Bản", 2, 375),
        new("04", "M/R", "Vắc xin sởi - rubella (MR)", 1, 540),
        new("01", "DTP", "Vắc xin bạch hầu - ho gà - uốn ván (DPT) nhắc lại", 4, 540),
        new("39", "Japanese encephalitis SC", "Vắc xin viêm não Nhật Bản", 3, 730),
    ];
}
