//! The text of an incident notice.
use palisade_core::audit::incidents::Notice;
use palisade_mail::Mail;

pub(crate) fn incident_mail(notice: &Notice) -> Mail {
    Mail {
        to: notice.recipients.clone(),
        subject: format!("[Palisade] Security incident: {}", notice.title),
        text: format!(
            "We are notifying the administrators of {tenant} about a security incident that may affect your data.\r\n\r\n\
             Severity: {severity}\r\nDeclared: {declared}\r\n\r\n{description}",
            tenant = notice.tenant_name,
            severity = notice.severity,
            declared = notice.declared_at.to_rfc3339(),
            description = notice.description,
        ),
        // A retry after a crash between sending and recording must not mail the tenant twice.
        idempotency_key: Some(format!("incident-{}-{}", notice.incident_id, notice.tenant_id)),
    }
}
