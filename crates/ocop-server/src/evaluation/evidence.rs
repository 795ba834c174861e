//! Files attached to Form 02 as evidence for one criterion each (a VietGAP certificate for
//! 1.2, a photo of the label for 2.4…): uploaded by those who fill Form 02 while it may still
//! change, read by everyone who sees the dossier — the council included.

use super::dossiers::seen;
use super::Caller;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use crate::files::{Area, FileStore};
use crate::registry::documents::{keep_file, Upload};
use ocop_domain::Actor;
use ocop_store::{Evidence, NewEvidence, Store};

pub async fn attach(
    store: &dyn Store,
    files: &FileStore,
    who: Caller<'_>,
    dossier_id: i64,
    upload: Upload,
) -> Result<Evidence, Problem> {
    let actor = who.actor;
    let seen = seen(store, actor, dossier_id).await?;
    if !seen.forms_by(actor) {
        return Err(forbidden(
            "the producer, its commune officer or the OCOP office attaches evidence",
        ));
    }
    let criterion = upload
        .fields
        .get("criterion")
        .map(|c| c.trim().to_string())
        .unwrap_or_default();
    let rubric = ocop_domain::criteria::rubric(i64::from(seen.dossier.criteria_set))
        .map_err(|e| unprocessable("criterion", "invalid_criteria_set", e.to_string()))?;
    if rubric.criterion(&criterion).is_none() {
        return Err(unprocessable(
            "criterion",
            "unknown_criterion",
            format!(
                "set {} has no criterion \"{criterion}\": name the criterion this file supports",
                seen.dossier.criteria_set
            ),
        ));
    }
    let kept = keep_file(files, upload.file).await?;
    let new = NewEvidence {
        dossier_id,
        criterion,
        file_name: kept.file_name,
        content_type: kept.content_type.to_string(),
        size_bytes: kept.size_bytes,
        sha256: kept.sha256,
        created_by: Some(actor.user_id),
    };
    let audit = who.by().audit(
        "dossier_evidence_added",
        seen.dossier.province_code.parse().ok().as_ref(),
        serde_json::json!({"criterion": new.criterion, "file_name": new.file_name, "sha256": new.sha256}),
    );
    Ok(store.add_evidence(&new, &audit).await?)
}

pub async fn list(
    store: &dyn Store,
    actor: &Actor,
    dossier_id: i64,
) -> Result<Vec<Evidence>, Problem> {
    seen(store, actor, dossier_id).await?;
    Ok(store.evidence(dossier_id).await?)
}

/// One file and its bytes, for whoever sees the dossier.
pub async fn fetch(
    store: &dyn Store,
    files: &FileStore,
    actor: &Actor,
    dossier_id: i64,
    evidence_id: i64,
) -> Result<(Evidence, Vec<u8>), Problem> {
    let e = list(store, actor, dossier_id)
        .await?
        .into_iter()
        .find(|e| e.id == evidence_id)
        .ok_or_else(|| not_found("evidence"))?;
    let bytes = files.get(Area::Documents, &e.sha256).await.map_err(|err| {
        tracing::error!(error = %err, evidence = e.id, "stored evidence is missing from the data directory");
        crate::error::internal()
    })?;
    Ok((e, bytes))
}
