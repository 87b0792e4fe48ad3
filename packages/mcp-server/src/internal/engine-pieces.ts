import { InternalError } from "@longshot/core";
import { EngineCommandSchema } from "@longshot/engine";

type Variants = typeof EngineCommandSchema.options;

/**
 * The variant of `EngineCommandSchema` for one command type. The tuple index keeps the piece's
 * static type exact; the literal check makes a reordering of the engine's union fail loudly at
 * load time instead of validating the wrong field.
 */
function variant<I extends number>(index: I, type: string): Variants[I] {
  const found = EngineCommandSchema.options[index];
  if (found?.shape.type.value !== type) {
    throw new InternalError(`EngineCommandSchema.options[${index}] is not the "${type}" command`);
  }
  return found as Variants[I];
}

/** The engine's own schemas for command arguments, shared with the MCP tools' inputs. */
export const enginePieces = {
  stopReason: variant(2, "stop").shape.reason,
  taskId: variant(4, "cancel-task").shape.taskId,
  newTask: variant(5, "add-task").shape.task,
  maxWorkers: variant(6, "set-max-workers").shape.value,
};
