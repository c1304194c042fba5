# SPDX-License-Identifier: GPL-2.0
#
# gdb commands for capisim tasks (docs/tasks.md).  In gdb:
#
#	source docs/tasks.gdb
#	task_list s			every task of struct task_sched s
#	task_bt t			backtrace of the sleeping task t
#
# task_bt points the registers at the task's saved frame, as if the thread
# stood at capisim_task_resume in the middle of its switch, prints the
# backtrace and puts the registers back.  x86-64 assembly switch only; in
# a live process (a core file's registers cannot be written).

define task_list
	set $_tl_s = (struct task_sched *)($arg0)
	set $_tl_l = $_tl_s->tasks.next
	printf "current: %s (id %u)\n", $_tl_s->current->name, $_tl_s->current->id
	while $_tl_l != &$_tl_s->tasks
		set $_tl_t = (struct task *)((char *)$_tl_l - (unsigned long)&((struct task *)0)->all_link)
		printf "%p  id %-4u %-20s state %d", $_tl_t, $_tl_t->id, $_tl_t->name, $_tl_t->state
		if $_tl_t->wait
			printf "  waits on %s", $_tl_t->wait->name
		end
		if $_tl_t->timer.slot != 0xffffffff
			printf "  timer at %llu ps", $_tl_t->timer.time
		end
		printf "\n"
		set $_tl_l = $_tl_l->next
	end
end
document task_list
List the tasks of a struct task_sched: address, id, name, state, what each waits on.
end

define task_bt
	set $_tb_t = (struct task *)($arg0)
	if $_tb_t == $_tb_t->sched->current
		printf "%s is running: use bt\n", $_tb_t->name
	else
		select-frame 0
		set $_tb_pc = $pc
		set $_tb_sp = $sp
		set $sp = $_tb_t->ctx.sp
		set $pc = &capisim_task_resume
		bt
		select-frame 0
		set $sp = $_tb_sp
		set $pc = $_tb_pc
	end
end
document task_bt
Backtrace of a task that is switched out (struct task *).
end
