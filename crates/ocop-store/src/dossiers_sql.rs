//! The SQL of [`crate::DossierStore`], written once for both backends.

macro_rules! impl_dossier_store {
    ($store:ty, $backend:expr) => {
        impl $store {
            async fn seats<'e, E>(exec: E, round_id: i64) -> $crate::Result<Vec<$crate::Seat>>
            where
                E: sqlx::Executor<'e, Database = <Self as $crate::backends::HasDb>::Db>,
            {
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT c.user_id, u.name, u.email, c.role FROM council_members c JOIN users u ON u.id = c.user_id \
                     WHERE c.round_id = $1 ORDER BY CASE c.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, u.name",
                )
                .bind(round_id)
                .fetch_all(exec)
                .await?;
                rows.into_iter()
                    .map(|(user_id, name, email, role)| {
                        Ok($crate::Seat { user_id, name, email, role: $crate::dossiers::parsed(role)? })
                    })
                    .collect()
            }

            async fn round_row(&self, id: i64) -> $crate::Result<Option<$crate::Round>> {
                let row: Option<(i64, String, Option<String>, String, chrono::NaiveDate, chrono::DateTime<chrono::Utc>)> =
                    sqlx::query_as("SELECT id, level, province_code, name, held_by, created_at FROM rounds WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                let Some((id, level, province_code, name, held_by, created_at)) = row else { return Ok(None) };
                let members = Self::seats(&self.pool, id).await?;
                Ok(Some($crate::Round { id, level, province_code, name, held_by, members, created_at }))
            }

            async fn dossier_in<'e, E>(exec: E, id: i64, lock: bool) -> $crate::Result<Option<$crate::Dossier>>
            where
                E: sqlx::Executor<'e, Database = <Self as $crate::backends::HasDb>::Db>,
            {
                // PostgreSQL locks the dossier row for the transaction; SQLite's BEGIN IMMEDIATE
                // already holds the only write lock.
                let lock = if lock && $backend == $crate::Backend::Postgres { " FOR UPDATE OF d" } else { "" };
                let sql = format!("{} WHERE d.id = $1{lock}", $crate::dossiers::DOSSIER_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_optional(exec).await?;
                Ok($crate::decode_row!(row, $crate::dossiers::dossier_from_row))
            }
        }

        #[async_trait::async_trait]
        impl $crate::DossierStore for $store {
            async fn create_round(&self, new: &$crate::NewRound, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Round> {
                let mut tx = self.write_tx().await?;
                let level = if new.province_code.is_some() { "province" } else { "central" };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO rounds (level, province_code, name, held_by, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(level)
                .bind(new.province_code.as_deref())
                .bind(&new.name)
                .bind(new.held_by)
                .bind(new.created_by)
                .bind(chrono::Utc::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "round", "province"))?;
                for (user_id, role) in &new.members {
                    sqlx::query("INSERT INTO council_members (round_id, user_id, role) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(user_id)
                        .bind(role.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| $crate::error::classify(e, "council member", "user"))?;
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("round:{id}"));
                tx.commit().await?;
                self.round_row(id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn round(&self, id: i64) -> $crate::Result<Option<$crate::Round>> {
                self.round_row(id).await
            }

            async fn rounds(&self, province: Option<&str>, central: bool, member: Option<i64>) -> $crate::Result<Vec<$crate::Round>> {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT r.id FROM rounds r WHERE ($1 IS NULL AND $3 IS NULL) OR r.province_code = $1 \
                     OR ($2 AND r.level = 'central') \
                     OR EXISTS (SELECT 1 FROM council_members c WHERE c.round_id = r.id AND c.user_id = $3) \
                     ORDER BY r.held_by DESC, r.id DESC LIMIT 200",
                )
                .bind(province)
                .bind(central)
                .bind(member)
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    out.extend(self.round_row(id).await?);
                }
                Ok(out)
            }

            async fn create_dossier(&self, new: &$crate::NewDossier, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Dossier> {
                let mut tx = self.write_tx().await?;
                let now = chrono::Utc::now();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO dossiers (product_id, kind, state, self_assessment, created_by, created_at, updated_at) \
                     VALUES ($1, $2, 'draft', $3, $4, $5, $5) RETURNING id",
                )
                .bind(new.product_id)
                .bind(new.kind.as_str())
                .bind(new.self_assessment.to_string())
                .bind(new.created_by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "dossier", "product"))?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("dossier:{id}"));
                let d = Self::dossier_in(&mut *tx, id, false).await?.ok_or($crate::StoreError::NotFound)?;
                tx.commit().await?;
                Ok(d)
            }

            async fn dossier(&self, id: i64) -> $crate::Result<Option<$crate::Dossier>> {
                Self::dossier_in(&self.pool, id, false).await
            }

            async fn dossiers(&self, f: &$crate::DossierFilter) -> $crate::Result<Vec<$crate::Dossier>> {
                let sql = format!(
                    "{} WHERE {} ORDER BY d.updated_at DESC, d.id DESC LIMIT $8 OFFSET $9",
                    $crate::dossiers::DOSSIER_SELECT,
                    $crate::dossiers::DOSSIER_WHERE
                );
                let rows = $crate::dossiers::bind_filter!(sqlx::query(&sql), f)
                    .bind(f.limit.unwrap_or(1_000).clamp(0, 1_000))
                    .bind(f.offset.max(0))
                    .fetch_all(&self.pool)
                    .await?;
                Ok($crate::decode_rows!(rows, $crate::dossiers::dossier_from_row))
            }

            async fn count_dossiers(&self, f: &$crate::DossierFilter) -> $crate::Result<i64> {
                let sql = format!(
                    "SELECT COUNT(*) FROM dossiers d JOIN products p ON p.id = d.product_id WHERE {}",
                    $crate::dossiers::DOSSIER_WHERE
                );
                Ok($crate::dossiers::bind_filter!(sqlx::query_scalar(&sql), f).fetch_one(&self.pool).await?)
            }

            async fn update_self_assessment(&self, id: i64, form: &serde_json::Value, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Dossier> {
                let mut tx = self.write_tx().await?;
                let d = Self::dossier_in(&mut *tx, id, true).await?.ok_or($crate::StoreError::NotFound)?;
                if !d.state.editable() {
                    return Err($crate::StoreError::Refused(format!(
                        "the dossier is {}: its forms change only while it is a draft or returned",
                        d.state
                    )));
                }
                sqlx::query("UPDATE dossiers SET self_assessment = $2, updated_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(form.to_string())
                    .bind(chrono::Utc::now())
                    .execute(&mut *tx)
                    .await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("dossier:{id}"));
                let d = Self::dossier_in(&mut *tx, id, false).await?.ok_or($crate::StoreError::NotFound)?;
                tx.commit().await?;
                Ok(d)
            }

            async fn move_dossier(&self, id: i64, m: &$crate::Move, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Dossier> {
                use ocop_domain::evaluation::Step;
                let refused = |why: String| $crate::StoreError::Refused(why);
                let mut tx = self.write_tx().await?;
                let mut d = Self::dossier_in(&mut *tx, id, true).await?.ok_or($crate::StoreError::NotFound)?;
                if let Step::Assign { central } = m.step {
                    let round_id = m.round_id.ok_or_else(|| refused("choose the round to assign the dossier to".into()))?;
                    let round: Option<(String, Option<String>)> =
                        sqlx::query_as("SELECT level, province_code FROM rounds WHERE id = $1")
                            .bind(round_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let (level, province) = round.ok_or($crate::StoreError::MissingReference("round"))?;
                    if (level == "central") != central {
                        return Err(refused(format!("round {round_id} is a {level} round")));
                    }
                    if !central && province.as_deref() != Some(d.province_code.as_str()) {
                        return Err(refused(format!("round {round_id} belongs to another province")));
                    }
                }
                let stars = match m.step {
                    Step::Consolidate => m.result.as_ref().and_then(|r| r.2),
                    _ => d.stars.and_then(|s| u8::try_from(s).ok()),
                };
                d.state = d.state.after(m.step, m.role, stars, d.round_is_central)?;
                match m.step {
                    Step::Submit => {
                        d.submitted_on = Some(m.today);
                        d.commune_due_on = Some(ocop_domain::evaluation::working_days_after(
                            m.today,
                            ocop_domain::evaluation::COMMUNE_WORKING_DAYS,
                        ));
                        d.return_reason = None;
                        d.return_due_on = None;
                    }
                    Step::CommuneCheck => {
                        d.commune_report = Some(m.commune_report.clone().ok_or_else(|| refused("fill in the commune's report (Form 03)".into()))?);
                    }
                    Step::Return => {
                        d.return_reason = Some(m.return_reason.clone().ok_or_else(|| refused("say what is missing".into()))?);
                        d.return_due_on = Some(m.return_due_on.ok_or_else(|| refused("give the date the evidence is due".into()))?);
                    }
                    Step::Assign { .. } => d.round_id = m.round_id,
                    Step::Consolidate => {
                        let round_id = d.round_id.ok_or_else(|| refused("the dossier is in no round".into()))?;
                        let seats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM council_members WHERE round_id = $1")
                            .bind(round_id)
                            .fetch_one(&mut *tx)
                            .await?;
                        let done: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM score_sheets s JOIN council_members c ON c.round_id = s.round_id \
                             AND c.user_id = s.user_id WHERE s.dossier_id = $1 AND s.round_id = $2 AND s.submitted_at IS NOT NULL",
                        )
                        .bind(id)
                        .bind(round_id)
                        .fetch_one(&mut *tx)
                        .await?;
                        if done < seats {
                            return Err(refused(format!(
                                "{done} of {seats} council members have handed in their sheets: the result waits for all"
                            )));
                        }
                        let (result, total, stars) = m.result.clone().ok_or_else(|| refused("no result to record".into()))?;
                        d.result = Some(result);
                        d.total = Some(total);
                        d.stars = stars.map(i32::from);
                    }
                    Step::Recognize { .. } => {
                        let new = m.certificate.as_ref().ok_or_else(|| refused("the recognition decision is missing".into()))?;
                        // The dossier's product, whatever the caller put in.
                        let new = $crate::NewCertificate { product_id: d.product_id, ..new.clone() };
                        let cert_id = $crate::certificates::insert_certificate!(&mut *tx, &new, "certificate number").id;
                        d.certificate_id = Some(cert_id);
                    }
                    Step::Forward | Step::Decline => {}
                }
                sqlx::query(
                    "UPDATE dossiers SET state = $2, commune_report = $3, submitted_on = $4, commune_due_on = $5, \
                     return_reason = $6, return_due_on = $7, round_id = $8, result = $9, total = $10, stars = $11, \
                     certificate_id = $12, updated_at = $13 WHERE id = $1",
                )
                .bind(id)
                .bind(d.state.as_str())
                .bind(d.commune_report.as_ref().map(|v| v.to_string()))
                .bind(d.submitted_on)
                .bind(d.commune_due_on)
                .bind(&d.return_reason)
                .bind(d.return_due_on)
                .bind(d.round_id)
                .bind(d.result.as_ref().map(|v| v.to_string()))
                .bind(d.total)
                .bind(d.stars)
                .bind(d.certificate_id)
                .bind(chrono::Utc::now())
                .execute(&mut *tx)
                .await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("dossier:{id}"));
                let d = Self::dossier_in(&mut *tx, id, false).await?.ok_or($crate::StoreError::NotFound)?;
                tx.commit().await?;
                Ok(d)
            }

            async fn save_score_sheet(
                &self,
                dossier_id: i64,
                user_id: i64,
                answers: &serde_json::Value,
                notes: Option<&str>,
                submit: bool,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::ScoreSheet> {
                let refused = |why: String| $crate::StoreError::Refused(why);
                let mut tx = self.write_tx().await?;
                let d = Self::dossier_in(&mut *tx, dossier_id, true).await?.ok_or($crate::StoreError::NotFound)?;
                let round_id = match (d.state, d.round_id) {
                    (ocop_domain::evaluation::DossierState::InRound, Some(r)) => r,
                    _ => return Err(refused(format!("the dossier is {}: sheets are filled while it is in a round", d.state))),
                };
                let seat: Option<String> = sqlx::query_scalar("SELECT role FROM council_members WHERE round_id = $1 AND user_id = $2")
                    .bind(round_id)
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if seat.is_none() {
                    return Err($crate::StoreError::NotFound);
                }
                let handed_in: Option<Option<chrono::DateTime<chrono::Utc>>> = sqlx::query_scalar(
                    "SELECT submitted_at FROM score_sheets WHERE dossier_id = $1 AND round_id = $2 AND user_id = $3",
                )
                .bind(dossier_id)
                .bind(round_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(Some(at)) = handed_in {
                    return Err(refused(format!("this sheet was handed in at {}: it no longer changes", at.format("%Y-%m-%d %H:%M UTC"))));
                }
                let now = chrono::Utc::now();
                sqlx::query(
                    "INSERT INTO score_sheets (dossier_id, round_id, user_id, answers, notes, submitted_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dossier_id, round_id, user_id) DO UPDATE SET \
                     answers = excluded.answers, notes = excluded.notes, submitted_at = excluded.submitted_at, \
                     updated_at = excluded.updated_at",
                )
                .bind(dossier_id)
                .bind(round_id)
                .bind(user_id)
                .bind(answers.to_string())
                .bind(notes)
                .bind(submit.then_some(now))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if submit {
                    $crate::audit::insert_audit!(&mut *tx, audit, format!("dossier:{dossier_id}"));
                }
                let sql = format!("{} WHERE s.dossier_id = $1 AND s.round_id = $2 AND s.user_id = $3", $crate::dossiers::SHEET_SELECT);
                let row = sqlx::query(&sql).bind(dossier_id).bind(round_id).bind(user_id).fetch_one(&mut *tx).await?;
                let sheet = $crate::dossiers::sheet_from_row!(row);
                tx.commit().await?;
                Ok(sheet)
            }

            async fn score_sheets(&self, dossier_id: i64, round_id: i64) -> $crate::Result<Vec<$crate::ScoreSheet>> {
                let sql = format!(
                    "{} JOIN council_members c ON c.round_id = s.round_id AND c.user_id = s.user_id \
                     WHERE s.dossier_id = $1 AND s.round_id = $2 \
                     ORDER BY CASE c.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, u.name",
                    $crate::dossiers::SHEET_SELECT
                );
                let rows = sqlx::query(&sql).bind(dossier_id).bind(round_id).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::dossiers::sheet_from_row))
            }

            async fn certificate(&self, id: i64) -> $crate::Result<Option<$crate::Certificate>> {
                let sql = format!("SELECT {} FROM certificates WHERE id = $1", $crate::certificates::CERTIFICATE_COLUMNS);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::certificates::certificate_from_row))
            }

            async fn certificate_by_number(&self, number: &str) -> $crate::Result<Option<$crate::Certificate>> {
                let sql = format!("SELECT {} FROM certificates WHERE number = $1", $crate::certificates::CERTIFICATE_COLUMNS);
                let row = sqlx::query(&sql).bind(number).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::certificates::certificate_from_row))
            }

            async fn certificate_score(&self, certificate_id: i64) -> $crate::Result<Option<f64>> {
                let total: Option<Option<f64>> = sqlx::query_scalar("SELECT total FROM dossiers WHERE certificate_id = $1")
                    .bind(certificate_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(total.flatten())
            }

            async fn revoke_certificate(
                &self,
                id: i64,
                on: chrono::NaiveDate,
                grounds: &str,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Certificate> {
                let mut tx = self.write_tx().await?;
                let done = sqlx::query(
                    "UPDATE certificates SET revoked_on = $2, revocation_grounds = $3 WHERE id = $1 AND revoked_on IS NULL",
                )
                .bind(id)
                .bind(on)
                .bind(grounds)
                .execute(&mut *tx)
                .await?;
                let sql = format!("SELECT {} FROM certificates WHERE id = $1", $crate::certificates::CERTIFICATE_COLUMNS);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *tx).await?;
                let Some(row) = row else { return Err($crate::StoreError::NotFound) };
                let c = $crate::certificates::certificate_from_row!(row);
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::Refused(format!(
                        "certificate {} was already revoked on {}",
                        c.number,
                        c.revoked_on.map(|d| d.to_string()).unwrap_or_default()
                    )));
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("certificate:{id}"));
                tx.commit().await?;
                Ok(c)
            }

            async fn add_evidence(&self, new: &$crate::NewEvidence, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Evidence> {
                let mut tx = self.write_tx().await?;
                let d = Self::dossier_in(&mut *tx, new.dossier_id, true).await?.ok_or($crate::StoreError::NotFound)?;
                if !d.state.editable() {
                    return Err($crate::StoreError::Refused(format!(
                        "the dossier is {}: evidence is added while it is a draft or returned",
                        d.state
                    )));
                }
                let sql = format!(
                    "INSERT INTO dossier_evidence (dossier_id, criterion, file_name, content_type, size_bytes, sha256, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {}",
                    $crate::dossiers::EVIDENCE_COLUMNS
                );
                let row = sqlx::query(&sql)
                    .bind(new.dossier_id)
                    .bind(&new.criterion)
                    .bind(&new.file_name)
                    .bind(&new.content_type)
                    .bind(new.size_bytes)
                    .bind(&new.sha256)
                    .bind(new.created_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
                let e = $crate::dossiers::evidence_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("dossier:{}", new.dossier_id));
                tx.commit().await?;
                Ok(e)
            }

            async fn evidence(&self, dossier_id: i64) -> $crate::Result<Vec<$crate::Evidence>> {
                let sql = format!(
                    "SELECT {} FROM dossier_evidence WHERE dossier_id = $1 ORDER BY criterion, id",
                    $crate::dossiers::EVIDENCE_COLUMNS
                );
                let rows = sqlx::query(&sql).bind(dossier_id).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::dossiers::evidence_from_row))
            }

            async fn certificates_expiring(&self, f: &$crate::CertificateFilter) -> $crate::Result<Vec<$crate::Certificate>> {
                let cols = $crate::certificates::CERTIFICATE_COLUMNS.replace(", ", ", c.");
                let sql = format!(
                    "SELECT c.{cols} FROM certificates c JOIN products p ON p.id = c.product_id \
                     WHERE c.revoked_on IS NULL AND c.expires_on >= $1 AND c.expires_on <= $2 \
                     AND ($3 IS NULL OR p.province_code = $3) AND ($4 IS NULL OR p.commune_code = $4) \
                     AND ($5 IS NULL OR p.organization_id = $5) ORDER BY c.expires_on, c.id LIMIT 1000"
                );
                let rows = sqlx::query(&sql)
                    .bind(f.from)
                    .bind(f.to)
                    .bind(f.province.as_deref())
                    .bind(f.commune.as_deref())
                    .bind(f.organization_id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok($crate::decode_rows!(rows, $crate::certificates::certificate_from_row))
            }
        }
    };
}
pub(crate) use impl_dossier_store;
