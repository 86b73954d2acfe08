use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TaggerArgs {}

#[derive(clap::Args)]
pub struct ParserArgs {}

pub fn run_tagger(_args: TaggerArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("this command is not implemented yet")
}

pub fn run_parser(_args: ParserArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("this command is not implemented yet")
}
