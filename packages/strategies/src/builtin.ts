/** Importing this module registers the built-in strategies. */
import './full/index.ts';
import './partial/index.ts';
import './adapter/index.ts';
import './lora/index.ts';
