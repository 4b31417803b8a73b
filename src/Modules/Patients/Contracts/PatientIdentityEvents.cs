namespace YTeSo.Patients.Contracts;

/// <summary>What happened to the identity of some Patient records.</summary>
public enum PatientIdentityChangeKind
{
    /// <summary>Source records were linked to one golden record (the MPI's linker): still separate resources.</summary>
    Linked,

    /// <summary>A link was undone: the source records are no longer held to be one person.</summary>
    Unlinked,

    /// <summary>A source record was merged into a target: every reference now points at the target, the source is inactive.</summary>
    Merged,

    /// <summary>A merge was undone: the references and both records are as before the merge.</summary>
    Unmerged,
}

/// <summary>
/// "These Patient records are now one person" or "no longer", published by the master patient index after its change
/// is committed. Modules that keep their own state per patient (queues, stock ledgers, indicators) re-point or split it.
/// </summary>
/// <param name="Kind">What changed.</param>
/// <param name="GoldenPatientId">
/// The record that stands for the person: the golden record for <see cref="PatientIdentityChangeKind.Linked"/> and
/// <see cref="PatientIdentityChangeKind.Unlinked"/>, the merge target (survivor) for
/// <see cref="PatientIdentityChangeKind.Merged"/> and <see cref="PatientIdentityChangeKind.Unmerged"/>.
/// </param>
/// <param name="SourcePatientIds">The records linked to, unlinked from, merged into or split from it.</param>
/// <param name="MergeId">The merge (for Merged and Unmerged; <c>POST /api/patients/merges/{id}/undo</c> undoes it).</param>
/// <param name="ChangedAt">When the change was committed.</param>
/// <param name="ActorId">Who made it (audit actor id).</param>
public sealed record PatientIdentityChanged(
    PatientIdentityChangeKind Kind,
    string GoldenPatientId,
    IReadOnlyList<string> SourcePatientIds,
    Guid? MergeId,
    DateTimeOffset ChangedAt,
    string ActorId);

/// <summary>
/// Implemented by a module that reacts to <see cref="PatientIdentityChanged"/>; register it with
/// <c>services.AddScoped&lt;IPatientIdentityListener, MyListener&gt;()</c>. Called in process after the change is
/// committed, once per change, in registration order. A listener that throws is logged and does not undo the change or
/// stop the other listeners; nothing is retried yet (an outbox will come when a listener must not miss a change).
/// </summary>
public interface IPatientIdentityListener
{
    /// <summary>Reacts to one committed change.</summary>
    Task OnChangedAsync(PatientIdentityChanged change, CancellationToken cancellationToken);
}
