package io.atomiccheckpoint.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What every command has: the console it prints to (through the top command) and the common options. */
abstract class StoreCommand implements Callable<Integer> {
    @ParentCommand
    Main main;
    @Mixin
    CommonOptions common;
}
