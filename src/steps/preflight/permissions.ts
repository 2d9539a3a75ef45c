// Can the current user do everything the plan needs? Asked with SelfSubjectAccessReview before anything is
// written, so that e.g. a forbidden `create secrets` in istio-system stops the run at preflight, not half-way.
import type { AccessQuestion, ClusterIo } from '../../io/types.js';
import { describeQuestion } from '../../plan/access.js';
import { type CheckResult, fail, pass } from './result.js';

export async function checkPermissions(
  cluster: ClusterIo,
  questions: AccessQuestion[],
): Promise<CheckResult[]> {
  const answers = await Promise.all(questions.map((q) => cluster.accessReview(q)));
  const denied = questions.filter((_, i) => !answers[i]?.allowed);
  if (denied.length === 0) return [pass(`permissions: all ${questions.length} needed verbs allowed`)];
  return denied.map((q) =>
    fail(
      `permission missing: cannot ${describeQuestion(q)}`,
      `ask a cluster admin for a Role/ClusterRole granting "${q.verb}" on ${q.group ? `${q.resource}.${q.group}` : q.resource}, or use another --context`,
    ),
  );
}
