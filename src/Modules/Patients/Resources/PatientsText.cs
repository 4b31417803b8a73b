namespace YTeSo.Patients.Resources;

/// <summary>Marker for the MPI pages' texts: PatientsText.resx is Vietnamese (the default), PatientsText.en.resx English.</summary>
public sealed class PatientsText;
