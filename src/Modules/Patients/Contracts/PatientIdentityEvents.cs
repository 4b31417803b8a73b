namespace YTeSo.Patients.Contracts;

/// <summary>What happened to the identity of some Patient records.</summary>
public enum PatientIdentityChangeKind
{
    /// <summary>
    /// A source record joined a golden record that already had other sources (the linker or a reviewer): still separate
    /// resources. A record that starts a person of its own publishes nothing.
    /// </summary>
    Linked,

    /// <summary>
    /// A source record left a golden record that keeps other sources (it changed and no longer matches, it was deleted,
    /// merged away, or a reviewer moved it): it is no longer held to be that person.
    /// </summary>
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
/// <param name="Person">
/// The record that stands for the person, as a reference: the golden record <c>Person/{id}</c> for
/// <see cref="PatientIdentityChangeKind.Linked"/> and <see cref="PatientIdentityChangeKind.Unlinked"/>, the merge target
/// (survivor) <c>Patient/{id}</c> for <see cref="PatientIdentityChangeKind.Merged"/> and
/// <see cref="PatientIdentityChangeKind.Unmerged"/>.
/// </param>
/// <param name="SourcePatientIds">The records linked to, unlinked from, merged into or split from it.</param>
/// <param name="MergeId">The merge (for Merged and Unmerged; <c>POST /api/patients/merges/{id}/undo</c> undoes it).</param>
/// <param name="ChangedAt">When the change was committed.</param>
/// <param name="ActorId">Who made it (audit actor id).</param>
public sealed record PatientIdentityChanged(
    PatientIdentityChangeKind Kind,
    string Person,
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
