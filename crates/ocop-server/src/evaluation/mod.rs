//! The OCOP cycle and evaluation: scoring on the criteria sets (pure, in `ocop_domain::criteria`),
//! the yearly cycle, dossiers and councils as users move them, and the command line.

pub mod certificates;
pub mod cli;
pub mod cycles;
pub mod dossiers;
pub mod evidence;
pub mod forms;
pub mod rounds;
pub mod score;

use crate::users::Requester;
use ocop_domain::Actor;

/// A signed-in user acting on the cycle or a dossier.
#[derive(Clone, Copy)]
pub struct Caller<'a> {
    pub actor: &'a Actor,
    pub email: &'a str,
}

impl<'a> Caller<'a> {
    pub fn by(&self) -> Requester<'a> {
        Requester::Actor(self.actor, self.email)
    }
}
