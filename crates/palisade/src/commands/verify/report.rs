//! The verdict: a table of promises, or JSON for machines.
use palisade_core::verify::Check;

pub fn print(checks: &[Check], json: bool) -> anyhow::Result<()> {
    if json {
        let broken = checks.iter().filter(|c| !c.passed).count();
        let out = serde_json::json!({ "passed": broken == 0, "broken": broken, "checks": checks });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let width = checks.iter().map(|c| c.promise.len()).max().unwrap_or(0);
    for check in checks {
        let verdict = if check.passed { "pass" } else { "FAIL" };
        println!("{verdict}  {:width$}  {}", check.promise, check.description);
        for problem in &check.problems {
            println!("      {:width$}  - {problem}", "");
        }
    }
    let broken = checks.iter().filter(|c| !c.passed).count();
    println!("{} promise(s) checked, {broken} broken", checks.len());
    Ok(())
}
